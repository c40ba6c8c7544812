import { Tag } from 'antd';
import type { ReactNode } from 'react';
import { useLang } from '../../app/LangContext';
import type { RoleBinding } from '../../app/types';
import { ROLE_COLORS } from './roles';

/** A role with the place or organisation it covers, e.g. 网格员 · 江城社区第一网格. */
export function RoleTag({ binding, closeIcon }: { binding: RoleBinding; closeIcon?: ReactNode }) {
  const { tc, t } = useLang();
  const known = tc('role', binding.role);
  const roleLabel = known !== binding.role ? known : binding.roleName || binding.role;
  const scope = binding.scopeType === 'global' || !binding.scopeCode ? t('scope.global') : binding.scopeName || binding.scopeCode;
  return (
    <Tag color={ROLE_COLORS[binding.role] ?? 'default'} closeIcon={closeIcon} style={{ marginInlineEnd: 0 }}>
      {roleLabel}
      <span style={{ opacity: 0.75 }}> · {scope}</span>
    </Tag>
  );
}
