import { useEffect, useState } from 'react';
import { BrowserRouter } from 'react-router-dom';
import { MutationCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { ApiError, getApiLang } from './api';
import { AuthProvider } from './auth';
import { setFeedbackApi, showConflict, showError } from './feedback';
import { translate } from './i18n';
import { LangProvider, useLang } from './LangContext';
import { AppRoutes } from './router';

declare module '@tanstack/react-query' {
  interface Register {
    mutationMeta: { silent?: boolean };
  }
}

function makeQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        // a 4xx will not change by asking again
        retry: (count, e) => !(e instanceof ApiError && e.status > 0 && e.status < 500) && count < 2,
      },
    },
    mutationCache: new MutationCache({
      onError: (error, _vars, _ctx, mutation) => {
        if (mutation.meta?.silent) return;
        if (error instanceof ApiError && error.status === 401) return; // the shell goes to login
        const lang = getApiLang();
        if (error instanceof ApiError && error.code === 'VERSION_CONFLICT') {
          showConflict(
            error.message,
            translate(lang, 'error.versionConflict'),
            translate(lang, 'common.reload'),
            () => void client.invalidateQueries(),
          );
          return;
        }
        showError(error.message);
      },
    }),
  });
  return client;
}

/** Hands antd's context-bound message and notification to code outside React. */
function FeedbackBridge() {
  const api = AntApp.useApp();
  useEffect(() => {
    setFeedbackApi(api);
    return () => setFeedbackApi(null);
  }, [api]);
  return null;
}

function Themed() {
  const { lang } = useLang();
  useEffect(() => {
    dayjs.locale(lang === 'zh' ? 'zh-cn' : 'en');
  }, [lang]);
  return (
    <ConfigProvider
      locale={lang === 'zh' ? zhCN : enUS}
      theme={{ token: { colorPrimary: '#1f5fbf', borderRadius: 6 } }}
      button={{ autoInsertSpace: false }}
    >
      <AntApp>
        <FeedbackBridge />
        <BrowserRouter>
          <AuthProvider>
            <AppRoutes />
          </AuthProvider>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}

export default function App() {
  const [queryClient] = useState(makeQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <LangProvider>
        <Themed />
      </LangProvider>
    </QueryClientProvider>
  );
}
