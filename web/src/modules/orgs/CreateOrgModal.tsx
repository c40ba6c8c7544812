import { useQuery, useMutation } from '@tanstack/react-query';
import { Form, Input, Modal, Select, type ButtonProps } from 'antd';
import { showSuccess } from '../../app/feedback';
import { useLang } from '../../app/LangContext';
import { ORG_KINDS, PARTY_LEVELS, orgApi, orgKeys, type NewOrg, type Org, type OrgKind, type PartyLevel } from './api';
import { PlacePicker } from './PlacePicker';

interface OrgForm {
  kind?: OrgKind;
  level?: PartyLevel;
  name: string;
  parentId?: string;
  territoryCode: string;
  contactName?: string;
}

/** The party level a parent must have for a new party organisation at `level`, or null at the top. */
function parentLevelFor(level: PartyLevel | undefined): PartyLevel | null | undefined {
  if (!level) return undefined;
  const i = PARTY_LEVELS.indexOf(level);
  return i > 0 ? PARTY_LEVELS[i - 1] : null;
}

/** Organisations a new one may sit under: for a party organisation only those one level up. */
function allowedParents(all: Org[], kind: OrgKind | undefined, level: PartyLevel | undefined): Org[] {
  if (kind !== 'party') return all;
  const want = parentLevelFor(level);
  if (want === null) return [];
  return all.filter((o) => o.kind === 'party' && (want === undefined || o.level === want));
}

export function CreateOrgModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: () => void }) {
  const { t, tc } = useLang();
  const [form] = Form.useForm<OrgForm>();
  const kind = Form.useWatch('kind', form);
  const level = Form.useWatch('level', form);
  const orgs = useQuery({ queryKey: orgKeys.list({}), queryFn: () => orgApi.list({}), enabled: open });
  const all = orgs.data ?? [];
  const parents = allowedParents(all, kind, level);
  const wantLevel = kind === 'party' ? parentLevelFor(level) : undefined;

  const create = useMutation({
    mutationFn: (v: NewOrg) => orgApi.create(v),
    onSuccess: (org) => {
      showSuccess(t('orgs.created', { name: org.name }));
      form.resetFields();
      onCreated();
      onClose();
    },
  });

  const submit = (v: OrgForm) =>
    create.mutate({
      kind: v.kind!,
      ...(v.kind === 'party' && v.level ? { level: v.level } : {}),
      name: v.name.trim(),
      ...(v.parentId ? { parentId: v.parentId } : {}),
      territoryCode: v.territoryCode.trim(),
      ...(v.contactName?.trim() ? { contactName: v.contactName.trim() } : {}),
    });

  const onValuesChange = (changed: Partial<OrgForm>, values: OrgForm) => {
    if ('parentId' in changed && changed.parentId) {
      const parent = all.find((o) => String(o.id) === changed.parentId);
      // a party parent fixes the level; its place is a good first guess for the new one's
      if (parent && values.kind === 'party' && !values.level) {
        const i = PARTY_LEVELS.indexOf(parent.level as PartyLevel);
        if (i >= 0 && i < PARTY_LEVELS.length - 1) form.setFieldValue('level', PARTY_LEVELS[i + 1]);
      }
      if (parent?.territoryCode && !values.territoryCode) form.setFieldValue('territoryCode', parent.territoryCode);
    }
    if (('kind' in changed || 'level' in changed) && values.parentId) {
      const still = allowedParents(all, values.kind, values.level).some((o) => String(o.id) === values.parentId);
      if (!still) form.setFieldValue('parentId', undefined);
    }
  };

  return (
    <Modal
      open={open}
      title={t('orgs.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.create')}
      okButtonProps={{ 'data-testid': 'org-create-submit' } as ButtonProps}
      confirmLoading={create.isPending}
      forceRender
    >
      <Form<OrgForm> form={form} layout="vertical" onFinish={submit} onValuesChange={onValuesChange}>
        <Form.Item name="kind" label={t('orgs.kind')} rules={[{ required: true, message: t('orgs.kindRequired') }]}>
          <Select options={ORG_KINDS.map((k) => ({ value: k, label: tc('orgKind', k) }))} data-testid="org-form-kind" />
        </Form.Item>
        {kind === 'party' && (
          <Form.Item name="level" label={t('orgs.partyLevel')} rules={[{ required: true, message: t('orgs.partyLevelRequired') }]}>
            <Select options={PARTY_LEVELS.map((l) => ({ value: l, label: tc('orgLevel', l) }))} data-testid="org-form-level" />
          </Form.Item>
        )}
        <Form.Item
          name="name"
          label={t('orgs.name')}
          rules={[{ required: true, whitespace: true, min: 2, max: 100, message: t('orgs.nameRule') }]}
        >
          <Input autoComplete="off" data-testid="org-form-name" />
        </Form.Item>
        <Form.Item
          name="parentId"
          label={t('orgs.parent')}
          extra={
            wantLevel === null
              ? t('orgs.parentTopHint')
              : wantLevel
                ? t('orgs.parentPartyHint', { level: tc('orgLevel', wantLevel) })
                : t('orgs.parentNone')
          }
        >
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            disabled={wantLevel === null}
            loading={orgs.isPending}
            placeholder={t('orgs.parentNone')}
            options={parents.map((o) => ({
              value: String(o.id),
              label: [o.name, o.territoryName].filter(Boolean).join(' · '),
            }))}
            data-testid="org-form-parent"
          />
        </Form.Item>
        <Form.Item
          name="territoryCode"
          label={t('orgs.place')}
          rules={[{ required: true, pattern: /^\d{6,24}$/, message: t('orgs.placeRule') }]}
        >
          <PlacePicker />
        </Form.Item>
        <Form.Item name="contactName" label={t('orgs.contact')} rules={[{ max: 40, message: t('orgs.contactRule') }]}>
          <Input autoComplete="off" data-testid="org-form-contact" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
