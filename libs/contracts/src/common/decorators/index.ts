export * from './code.decorators';
export * from './number.decorators';
export * from './structure.decorators';
export * from './text.decorators';
export * from './time.decorators';
