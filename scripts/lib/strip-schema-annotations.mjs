// Our JSON Schema files document the protocol for people (`title`, `description`, `$id`, `$schema`, `$comment`);
// those annotations validate nothing, so the bundles leave them out. Keys under `properties` and `$defs` are
// names, not keywords, and are kept whatever they are called.
const ANNOTATIONS = new Set(['$schema', '$id', '$comment', 'title', 'description']);
const NAME_MAPS = new Set(['properties', '$defs']);

/** The schema without its annotations. */
export function withoutAnnotations(schema) {
  if (Array.isArray(schema)) return schema.map(withoutAnnotations);
  if (typeof schema !== 'object' || schema === null) return schema;
  const kept = {};
  for (const [key, value] of Object.entries(schema)) {
    if (ANNOTATIONS.has(key)) continue;
    kept[key] = NAME_MAPS.has(key)
      ? Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, withoutAnnotations(sub)]))
      : withoutAnnotations(value);
  }
  return kept;
}
