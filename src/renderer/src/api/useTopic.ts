import { useEffect, useRef } from 'react'
import type { PayloadOf, TopicInputOf, TopicName } from '../../../shared/contract'
import { slipway } from './client'

/** Subscribes while the component is mounted; the listener may change without resubscribing. */
export function useTopic<T extends TopicName>(
  topic: T,
  input: TopicInputOf<T>,
  listener: (payload: PayloadOf<T>) => void,
): void {
  const latest = useRef(listener)
  useEffect(() => {
    latest.current = listener
  })
  const key = JSON.stringify(input)
  useEffect(() => {
    let stop: (() => void) | undefined
    let cancelled = false
    void slipway.events
      .subscribe(topic, JSON.parse(key) as TopicInputOf<T>, (payload) => latest.current(payload))
      .then((unsubscribe) => {
        if (cancelled) unsubscribe()
        else stop = unsubscribe
      })
    return () => {
      cancelled = true
      stop?.()
    }
  }, [topic, key])
}
