import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { Button, Result, Spin } from 'antd';
import { useAuth } from './auth';
import { useLang } from './LangContext';
import type { Permission } from './types';

export function FullPageSpin() {
  const { t } = useLang();
  return (
    <div className="full-page-center">
      <Spin size="large" description={t('common.loading')} />
    </div>
  );
}

/** Logged-in users only; accounts that must set up a password or second factor go to the profile page first. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { session, loading, error, refresh, needsSetup, loggedOutByUser } = useAuth();
  const { t } = useLang();
  const location = useLocation();

  if (loading) return <FullPageSpin />;
  if (error && !session) {
    return (
      <div className="full-page-center">
        <Result
          status="warning"
          title={t('common.loadFailed')}
          subTitle={error.message}
          extra={<Button onClick={() => void refresh()}>{t('common.retry')}</Button>}
        />
      </div>
    );
  }
  if (!session) {
    // an expired session comes back to the same page after login; a deliberate logout does not
    const from = loggedOutByUser() ? undefined : location.pathname + location.search;
    return <Navigate to="/login" replace state={from ? { from } : null} />;
  }
  if (needsSetup && location.pathname !== '/profile') return <Navigate to="/profile" replace />;
  return <>{children}</>;
}

export function Forbidden() {
  const { t } = useLang();
  return <Result status="403" title={t('common.forbidden')} subTitle={t('common.forbiddenHint')} />;
}

export function RequirePermission({ permission, children }: { permission: Permission; children: ReactNode }) {
  const { can } = useAuth();
  return can(permission) ? <>{children}</> : <Forbidden />;
}
