import i18next from 'i18next'
import { initReactI18next } from 'react-i18next'
import en from '../../../locales/en/translation.json'
import ru from '../../../locales/ru/translation.json'
import type { Language } from '../../shared/schema'

export const LANGUAGES: readonly Language[] = ['en', 'ru']

export function systemLanguage(): Language {
  return navigator.language.toLowerCase().startsWith('ru') ? 'ru' : 'en'
}

export async function initI18n(): Promise<typeof i18next> {
  await i18next.use(initReactI18next).init({
    resources: { en: { translation: en }, ru: { translation: ru } },
    lng: systemLanguage(),
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    returnNull: false,
  })
  return i18next
}
