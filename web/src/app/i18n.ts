// Every UI string lives here, Chinese first. Components call t('key') and never hold Chinese text.
import { adminMessages } from './messages/admin';
import { deliberationMessages } from './messages/deliberation';
import { profileMessages } from './messages/profile';
import { shellMessages } from './messages/shell';
import { territoryMessages } from './messages/territory';
import { registryMessages } from './messages/registry';
import { servicesMessages } from '../modules/services/messages';
import { workforceMessages } from './messages/workforce';
import { eventMessages } from './messages/events';

export type Lang = 'zh' | 'en';

export type Entry = { zh: string; en: string };

const dict = { ...shellMessages, ...territoryMessages, ...adminMessages, ...profileMessages, ...registryMessages, ...servicesMessages, ...workforceMessages, ...deliberationMessages, ...eventMessages };

export type MessageKey = keyof typeof dict;

export function translate(lang: Lang, key: MessageKey, vars?: Record<string, string | number>): string {
  const entry: Entry | undefined = dict[key];
  let text = entry ? entry[lang] : key;
  if (vars) {
    for (const [name, value] of Object.entries(vars)) {
      text = text.split(`{${name}}`).join(String(value));
    }
  }
  return text;
}

/** Look up a key built at run time (a role, level or kind code from the server); unknown codes show as themselves. */
export function translateCode(lang: Lang, prefix: string, code: string): string {
  const key = `${prefix}.${code}`;
  return key in dict ? translate(lang, key as MessageKey) : code;
}

export const LANG_STORAGE_KEY = 'gongzhi.lang';

export function acceptLanguage(lang: Lang): string {
  return lang === 'zh' ? 'zh-CN' : 'en';
}

export function initialLang(): Lang {
  try {
    const stored = localStorage.getItem(LANG_STORAGE_KEY);
    if (stored === 'zh' || stored === 'en') return stored;
  } catch {
    // storage may be blocked (private mode); fall through to the default
  }
  return 'zh';
}
