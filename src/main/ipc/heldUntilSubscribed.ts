import type { EventBus } from '../events'
import type { PayloadOf, TopicName } from '../../shared/contract'

/**
 * A topic whose events must not be lost when no window listens yet: the recovery sweep runs at
 * start-up, before the renderer subscribes. Events emitted while nobody is subscribed are held
 * (the newest `limit`) and handed to the next subscriber; delivered ones are not replayed.
 */
export function heldUntilSubscribed<T extends TopicName>(
  bus: EventBus,
  topic: T,
  limit = 100,
): (emit: (payload: PayloadOf<T>) => void) => () => void {
  let held: PayloadOf<T>[] = []
  let subscribers = 0
  bus.on(topic, (payload) => {
    if (subscribers > 0) return
    held.push(payload)
    if (held.length > limit) held = held.slice(-limit)
  })
  return (emit) => {
    subscribers += 1
    const replay = held
    held = []
    // After the subscription is in place on the other side, in the order they happened.
    setTimeout(() => {
      for (const payload of replay) emit(payload)
    }, 0)
    const off = bus.on(topic, emit)
    return () => {
      subscribers -= 1
      off()
    }
  }
}
