import * as lark from '@larksuiteoapi/node-sdk'
import type { EventHandlers } from './event-handlers.js'

/** The event mapping (event-handlers.ts) behind the SDK's EventDispatcher, which the long connection needs. */
export function createDispatcher(handlers: EventHandlers, logger: lark.Logger): lark.EventDispatcher {
  const dispatcher = new lark.EventDispatcher({ logger, loggerLevel: lark.LoggerLevel.warn })
  // card.action.trigger has no typings in the SDK: register through a cast
  dispatcher.register(handlers as never)
  return dispatcher
}
