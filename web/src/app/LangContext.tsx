import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { setApiLang } from './api';
import { LANG_STORAGE_KEY, initialLang, translate, translateCode, type Lang, type MessageKey } from './i18n';

interface LangValue {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: (key: MessageKey, vars?: Record<string, string | number>) => string;
  /** translate a code from the server (role, level, kind) under a dictionary prefix */
  tc: (prefix: string, code: string) => string;
}

const LangContext = createContext<LangValue | null>(null);

export function LangProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => {
    const l = initialLang();
    setApiLang(l);
    document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
    return l;
  });

  const setLang = useCallback((next: Lang) => {
    setApiLang(next);
    try {
      localStorage.setItem(LANG_STORAGE_KEY, next);
    } catch {
      // storage blocked: the choice lasts for this page only
    }
    document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
    setLangState(next);
  }, []);

  const value = useMemo<LangValue>(
    () => ({
      lang,
      setLang,
      t: (key, vars) => translate(lang, key, vars),
      tc: (prefix, code) => translateCode(lang, prefix, code),
    }),
    [lang, setLang],
  );

  return <LangContext.Provider value={value}>{children}</LangContext.Provider>;
}

export function useLang(): LangValue {
  const value = useContext(LangContext);
  if (!value) throw new Error('useLang outside LangProvider');
  return value;
}
