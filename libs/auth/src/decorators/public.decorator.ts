import { SetMetadata } from '@nestjs/common';
import { PUBLIC_ROUTE_METADATA } from '@loyalty/observability';

/** Lets requests reach the controller or handler without a token. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE_METADATA, true);
