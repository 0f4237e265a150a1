import type { PayloadOf, TopicName } from '../shared/contract'

type Listener<T extends TopicName> = (payload: PayloadOf<T>) => void

/** In-process fan-out of contract events from services to whichever renderers subscribed. */
export class EventBus {
  private readonly listeners = new Map<TopicName, Set<(payload: never) => void>>()

  on<T extends TopicName>(topic: T, listener: Listener<T>): () => void {
    let set = this.listeners.get(topic)
    if (set === undefined) {
      set = new Set()
      this.listeners.set(topic, set)
    }
    set.add(listener)
    return () => set.delete(listener)
  }

  emit<T extends TopicName>(topic: T, payload: PayloadOf<T>): void {
    for (const listener of this.listeners.get(topic) ?? []) {
      ;(listener as Listener<T>)(payload)
    }
  }
}
