import { api } from '../../app/api';
import type { Items } from '../../app/types';

export interface ApiToken {
  id: string | number;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface TotpSetup {
  secret: string;
  otpauthUrl: string;
}

export const profileKeys = {
  tokens: ['profile', 'tokens'] as const,
};

export const profileApi = {
  changePassword: (currentPassword: string, newPassword: string) =>
    api.post('/api/me/password', { currentPassword, newPassword }),
  totpSetup: () => api.post<TotpSetup>('/api/me/totp/setup'),
  totpEnable: (code: string) => api.post('/api/me/totp/enable', { code }),
  totpDisable: (code: string) => api.post('/api/me/totp/disable', { code }),
  tokens: () => api.get<Items<ApiToken>>('/api/me/tokens').then((r) => r.items),
  createToken: (name: string) => api.post<{ id: string | number; name: string; token: string }>('/api/me/tokens', { name }),
  deleteToken: (id: string | number) => api.delete(`/api/me/tokens/${encodeURIComponent(String(id))}`),
};
