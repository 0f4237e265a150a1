import { createClient, type BridgeApi } from '../../../shared/api'

declare global {
  interface Window {
    readonly slipway: BridgeApi
  }
}

/** The renderer's one way to reach main: typed calls that resolve to values or throw SlipwayError. */
export const slipway = createClient(window.slipway)
