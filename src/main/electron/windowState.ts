import { screen, type BrowserWindow, type Rectangle } from 'electron'
import { z } from 'zod'
import type { SettingsStore } from '../settings/settingsStore'

const KEY = 'window.bounds'
const boundsSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(640),
  height: z.number().int().min(480),
  maximized: z.boolean(),
})
type SavedBounds = z.infer<typeof boundsSchema>

const DEFAULT = { width: 1200, height: 800 }

/** The saved bounds, if they still fall on a connected display. */
export function restoreBounds(settings: SettingsStore): Partial<Rectangle> & { maximized: boolean } {
  const saved = settings.get(KEY, boundsSchema)
  if (saved === undefined) return { ...DEFAULT, maximized: false }
  const visible = screen
    .getAllDisplays()
    .some(
      ({ workArea: a }) =>
        saved.x < a.x + a.width &&
        saved.x + saved.width > a.x &&
        saved.y < a.y + a.height &&
        saved.y + saved.height > a.y,
    )
  return visible ? saved : { width: saved.width, height: saved.height, maximized: saved.maximized }
}

export function trackBounds(win: BrowserWindow, settings: SettingsStore): void {
  let timer: NodeJS.Timeout | undefined
  const save = (): void => {
    if (win.isDestroyed() || win.isMinimized()) return
    const bounds: SavedBounds = { ...win.getNormalBounds(), maximized: win.isMaximized() }
    settings.set(KEY, bounds)
  }
  const later = (): void => {
    clearTimeout(timer)
    timer = setTimeout(save, 500)
  }
  win.on('resize', later)
  win.on('move', later)
  win.on('close', () => {
    clearTimeout(timer)
    save()
  })
}
