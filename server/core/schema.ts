import { Type } from 'typebox';

/** A string enum schema ({ enum: [...] }) that keeps its literal union type. */
export function StringEnum<const T extends string>(values: readonly T[]) {
  return Type.Unsafe<T>({ type: 'string', enum: [...values] });
}
