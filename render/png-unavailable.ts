import { AppError } from '../core/errors.js'

/**
 * Where no PNG renderer runs (the worker: @resvg/resvg-js is native, wrangler.toml aliases it to
 * worker/no-resvg.ts), rendering throws this; the materialiser then sends the card without its map
 * and the digest's chart as a line of text.
 */
export class RenderUnavailable extends AppError<'render-unavailable'> {
  constructor() {
    super('render-unavailable', 'no PNG renderer in this runtime')
  }
}

export const isRenderUnavailable = (error: unknown): boolean => error instanceof AppError && error.code === 'render-unavailable'
