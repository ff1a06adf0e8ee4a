import type { DynamicModule, Type } from '@nestjs/common';
import { MODULE_METADATA } from '@nestjs/common/constants';
import { PATTERN_METADATA } from '@nestjs/microservices/constants';

type ModuleRef = Type | DynamicModule | Promise<DynamicModule>;

/**
 * The event types a service's handlers consume (`@EventPattern`s of the controllers its module tree
 * declares), sorted, read from the decorators without starting the service.
 */
export function handledEventTypes(root: Type): string[] {
  const patterns = new Set<string>();
  const seen = new Set<unknown>();
  const visit = (ref: ModuleRef): void => {
    if (ref instanceof Promise || seen.has(ref)) return;
    seen.add(ref);
    const type = 'module' in ref ? ref.module : ref;
    const dynamic: Partial<DynamicModule> = 'module' in ref ? ref : {};
    const controllers: Type[] = [
      ...(Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, type) ?? []),
      ...(dynamic.controllers ?? []),
    ];
    for (const controller of controllers) {
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const method = Object.getOwnPropertyDescriptor(controller.prototype, name)?.value;
        if (typeof method !== 'function') continue;
        for (const pattern of Reflect.getMetadata(PATTERN_METADATA, method) ?? [])
          patterns.add(String(pattern));
      }
    }
    for (const imported of [
      ...(Reflect.getMetadata(MODULE_METADATA.IMPORTS, type) ?? []),
      ...(dynamic.imports ?? []),
    ])
      visit(imported as ModuleRef);
  };
  visit(root);
  return [...patterns].sort();
}
