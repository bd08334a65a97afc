/**
 * The identifier shapes of docs/protocol.md section 1; a value of another shape is refused before anything is
 * signed. Ids and field names are not secret, so a refusal may quote them (cut short).
 */

export const PRINCIPAL_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const FIELD_NAME = /^[a-z][a-z0-9_]{0,63}$/;

export function requirePrincipalId(what: string, id: string): string {
  return requireShape(what, id, PRINCIPAL_ID);
}

export function requireUuid(what: string, id: string): string {
  return requireShape(what, id, UUID);
}

export function requireFieldName(name: string): string {
  return requireShape("field name", name, FIELD_NAME);
}

function requireShape(what: string, value: string, shape: RegExp): string {
  if (typeof value !== "string" || !shape.test(value)) {
    throw new RangeError(`${what} '${abbreviate(String(value))}' does not match ${shape.source}`);
  }
  return value;
}

function abbreviate(value: string): string {
  return value.length <= 80 ? value : `${value.slice(0, 80)}...`;
}
