/**
 * The plain-object shape of a DTO class: what producers pass in and what goes over the wire. Methods are
 * dropped, nested DTOs become plain objects; optional fields stay optional.
 */
export type Plain<T> = T extends string | number | boolean | null | undefined
  ? T
  : T extends readonly (infer Item)[]
    ? Plain<Item>[]
    : T extends object
      ? { [K in keyof T as T[K] extends (...args: never[]) => unknown ? never : K]: Plain<T[K]> }
      : T;
