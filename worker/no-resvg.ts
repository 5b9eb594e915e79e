// Stands in for @resvg/resvg-js in the worker bundle (wrangler.toml [alias]): the native renderer
// cannot load on workerd. Rendering throws RenderUnavailable, and the outbox sends cards without
// their map (delivery/outbox/materialise.ts). A WASM renderer (@resvg/resvg-wasm, with a font
// bundled for the labels) could take this place behind the same svgToPng.
import { RenderUnavailable } from '../render/png-unavailable.js'

export class Resvg {
  constructor(_svg: string, _options?: unknown) {
    throw new RenderUnavailable()
  }
}
