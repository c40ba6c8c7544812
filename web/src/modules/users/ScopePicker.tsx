import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { AutoComplete, Input, Select } from 'antd';
import { useAuth } from '../../app/auth';
import { useLang } from '../../app/LangContext';
import { orgApi, orgKeys } from '../orgs/api';
import { NodeOptionLabel, useTerritorySearch } from '../territory/TerritorySearch';

interface Props {
  value?: string;
  onChange?: (value: string) => void;
}

/** A territory code, found by code or name; only places at `levels` are offered when given. */
export function TerritoryScopePicker({ value, onChange, levels }: Props & { levels?: string[] }) {
  const { t } = useLang();
  const [text, setText] = useState(value ?? '');
  const search = useTerritorySearch(text);
  return (
    <AutoComplete
      value={text}
      onChange={(v: string) => {
        setText(v);
        onChange?.(v.trim());
      }}
      onSelect={(code: string) => {
        setText(code);
        onChange?.(code);
      }}
      options={(text.trim() ? (search.data ?? []) : [])
        .filter((n) => !levels?.length || levels.includes(n.level))
        .map((n) => ({ value: n.code, label: <NodeOptionLabel node={n} /> }))}
      placeholder={t('users.territoryPlaceholder')}
      data-testid="scope-territory"
    />
  );
}

/** An organisation, sent as `org:<id>`. Without org.read the id can still be typed. */
export function OrgScopePicker({ value, onChange }: Props) {
  const { t, tc } = useLang();
  const { can } = useAuth();
  const orgs = useQuery({ queryKey: orgKeys.list({}), queryFn: () => orgApi.list({}), enabled: can('org.read') });
  if (!can('org.read')) {
    return <Input value={value} onChange={(e) => onChange?.(e.target.value.trim())} placeholder="org:123" />;
  }
  return (
    <Select
      showSearch={{ optionFilterProp: 'label' }}
      value={value || undefined}
      onChange={(v: string) => onChange?.(v)}
      loading={orgs.isPending}
      placeholder={t('users.orgPlaceholder')}
      options={(orgs.data ?? []).map((o) => ({
        value: `org:${o.id}`,
        label: [o.name, tc('orgKind', o.kind), o.territoryName].filter(Boolean).join(' · '),
      }))}
      data-testid="scope-org"
    />
  );
}
