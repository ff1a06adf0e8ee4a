import { ValidateBy } from 'class-validator';

export interface NotDevSecretOptions<T> {
  /** The secrets the value holds, when it holds more than one secret; by default the value is the secret. */
  secretsOf?: (value: string) => string[];
  /** When the variable is not used at all, so its development value does no harm. */
  unusedWhen?: (config: T) => boolean;
  /** The reason given instead of the default one. */
  message?: string;
}

/**
 * Property decorator: refuses `devSecret` when NODE_ENV is production. A development default is published
 * in this repository, so in production anyone who has read it holds the secret. The reason names the
 * variable and asks for a secret of one's own; the value itself is masked like every secret's.
 */
export function NotDevSecretInProduction<T extends { NODE_ENV?: string }>(
  devSecret: string,
  options: NotDevSecretOptions<T> = {},
): PropertyDecorator {
  const secretsOf = options.secretsOf ?? ((value: string) => [value]);
  return ValidateBy({
    name: 'notDevSecretInProduction',
    validator: {
      validate: (value: unknown, args) => {
        const config = args?.object as T;
        if (config.NODE_ENV !== 'production' || options.unusedWhen?.(config)) return true;
        return typeof value !== 'string' || !secretsOf(value).includes(devSecret);
      },
      defaultMessage: () =>
        options.message ?? '$property must be set to a secret of your own when NODE_ENV is production',
    },
  });
}
