import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import type { InputOf } from '../../../../shared/contract'
import type { Language } from '../../../../shared/schema'
import { slipway } from '../../api/client'
import { systemLanguage } from '../../i18n'

const settingsKey = ['settings'] as const

export function useSettings() {
  return useQuery({ queryKey: settingsKey, queryFn: () => slipway.settings.get() })
}

export function useSetLanguage() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (language: Language | null) => slipway.settings.update({ language }),
    onSuccess: (settings) => client.setQueryData(settingsKey, settings),
  })
}

/** The settings edited as whole numbers in a field. */
export type IntegerSetting = 'deployHistoryLimit' | 'metricsIntervalSeconds' | 'preRestorePinDays'

export function useUpdateSettings() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (patch: InputOf<'settings.update'>) => slipway.settings.update(patch),
    onSuccess: (settings) => client.setQueryData(settingsKey, settings),
  })
}

/** Keeps i18next on the remembered language (or the system's when none is chosen). */
export function useApplyLanguage(): void {
  const { i18n } = useTranslation()
  const settings = useSettings()
  const wanted = settings.data === undefined ? undefined : (settings.data.language ?? systemLanguage())
  useEffect(() => {
    if (wanted !== undefined && i18n.language !== wanted) void i18n.changeLanguage(wanted)
    document.documentElement.lang = i18n.language
  }, [wanted, i18n])
}
