export { ServicePlatformModule, type ServicePlatformOptions } from './platform.module';
export { bootstrapService, type BootstrapOptions } from './bootstrap';
