import type { EntityManager } from 'typeorm';

/** The manager, recording the SQL of every statement sent through it: one round trip each. */
export function recording(manager: EntityManager, statements: string[]): EntityManager {
  return new Proxy(manager, {
    get: (target, property, receiver) =>
      property === 'query'
        ? (sql: string, parameters?: unknown[]) => {
            statements.push(sql);
            return target.query(sql, parameters);
          }
        : Reflect.get(target, property, receiver),
  });
}
