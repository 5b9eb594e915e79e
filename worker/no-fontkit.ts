// Stands in for fontkit in the worker bundle (wrangler.toml [alias]): no PNG is rendered there
// (worker/no-resvg.ts), so no font is read; labels fall back to <text> and the render throws.
export function openSync(): never {
  throw new Error('no fonts in the worker')
}
