import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, type ValidationError } from 'class-validator';
import { ConfigValidationError, type ConfigIssue } from './config-validation.error';
import { displayValue } from './mask-secret';

/**
 * Builds a configuration object of class `cls` from the environment and validates it.
 *
 * Only the variables the class declares are read (a property with an initialiser or a validation
 * decorator); the initialisers are the defaults. Conversions come from the class's decorators
 * (`@EnvNumber()`, `@EnvBoolean()`, `@EnvList()`). An empty string counts as set: `FOO=` is the value ''.
 *
 * @throws ConfigValidationError naming every invalid variable, with secrets masked.
 */
export function loadConfig<T extends object>(cls: new () => T, env: NodeJS.ProcessEnv = process.env): T {
  const provided: Record<string, string> = {};
  for (const name of declaredVariables(cls)) {
    const value = env[name];
    if (value !== undefined) provided[name] = value;
  }

  const config = plainToInstance(cls, provided, { exposeDefaultValues: true });
  const errors = validateSync(config, {
    forbidUnknownValues: true,
    // One reason per variable is enough to fix it, and keeps the start-up error readable.
    stopAtFirstError: true,
    validationError: { target: false },
  });
  if (errors.length > 0) {
    throw new ConfigValidationError(errors.map((error) => toIssue(error, provided)));
  }
  return config;
}

function declaredVariables(cls: new () => object): Set<string> {
  const names = new Set(Object.keys(new cls()));
  for (const meta of getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false)) {
    names.add(meta.propertyName);
  }
  return names;
}

function toIssue(error: ValidationError, provided: Record<string, string>): ConfigIssue {
  const variable = error.property;
  const reasons = [...new Set(Object.values(error.constraints ?? {}))];
  if (reasons.length === 0) reasons.push(`${variable} is invalid`);

  if (variable in provided) {
    return { variable, reasons, received: displayValue(variable, provided[variable]) };
  }
  if (error.value === undefined || error.value === null) return { variable, reasons };
  // A default that fails validation is a bug in the config class, but say so clearly all the same.
  return { variable, reasons, received: displayValue(variable, String(error.value)), fromDefault: true };
}
