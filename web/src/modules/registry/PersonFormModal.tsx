import { useEffect } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Col, Form, Input, Modal, Row, Select, type ButtonProps } from 'antd';
import { showSuccess } from '../../app/feedback';
import { useLang } from '../../app/LangContext';
import { PERSON_TAGS, registryApi, type PersonDetail } from './api';
import { maxLength, showServerProblems } from './forms';

/**
 * Register a person (登记人员) or change one. The server checks the document (GB 11643 checksum,
 * region, birth date), the phone and the tags and answers per field in Chinese; the form puts
 * those reasons under the fields. An edit carries the version it was read at (409 when stale).
 */

interface PersonFormValues {
  placeCode: string;
  name: string;
  idType: string;
  idNumber: string;
  phone?: string;
  ethnicity?: string;
  householdPlace?: string;
  residency: string;
  tags?: string[];
  relation?: string;
  headRelation?: string;
  moveIn?: string;
  status?: string;
  note?: string;
}

const SERVER_FIELDS = ['placeCode', 'name', 'idType', 'idNumber', 'phone', 'ethnicity', 'householdPlace', 'residency', 'tags', 'relation', 'headRelation', 'moveIn', 'note', 'gender', 'birthDate'];

export function PersonFormModal({
  open,
  person,
  defaultPlace,
  onClose,
  onSaved,
}: {
  open: boolean;
  /** The person to change; absent: register a new one. */
  person?: PersonDetail | null;
  defaultPlace?: string;
  onClose: () => void;
  onSaved: (id: string) => void;
}) {
  const { t, tc } = useLang();
  const [form] = Form.useForm<PersonFormValues>();
  const editing = !!person;
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (person)
      form.setFieldsValue({
        name: person.name,
        ethnicity: person.ethnicity,
        householdPlace: person.householdPlace,
        residency: person.residency,
        tags: person.tags,
        status: person.status,
        note: person.note,
        phone: '',
      });
    else form.setFieldsValue({ idType: 'resident', residency: 'registered', ethnicity: '汉族', relation: 'family', placeCode: defaultPlace ?? '' });
  }, [open, person?.id, person?.version]);

  const save = useMutation({
    mutationFn: async (v: PersonFormValues) => {
      const text = (s?: string) => (s ?? '').trim();
      if (person) {
        return registryApi.updatePerson(person.id, {
          version: person.version,
          name: text(v.name),
          // The phone is shown masked: an empty box keeps it, a new number replaces it.
          ...(text(v.phone) ? { phone: text(v.phone) } : {}),
          ethnicity: text(v.ethnicity),
          householdPlace: text(v.householdPlace),
          residency: v.residency,
          tags: v.tags ?? [],
          status: v.status,
          note: text(v.note),
        });
      }
      return registryApi.createPerson({
        placeCode: text(v.placeCode),
        name: text(v.name),
        idType: v.idType,
        idNumber: text(v.idNumber).toUpperCase(),
        phone: text(v.phone) || undefined,
        ethnicity: text(v.ethnicity) || undefined,
        householdPlace: text(v.householdPlace) || undefined,
        residency: v.residency,
        tags: v.tags?.length ? v.tags : undefined,
        relation: text(v.placeCode).length === 24 ? v.relation : undefined,
        headRelation: text(v.headRelation) || undefined,
        moveIn: text(v.moveIn) || undefined,
        note: text(v.note) || undefined,
      });
    },
    onSuccess: (p) => {
      showSuccess(t('common.saved'));
      onSaved(p.id);
      onClose();
    },
    onError: (e) => showServerProblems(form, e, SERVER_FIELDS),
  });

  const options = (kind: string, keys: string[]) => keys.map((k) => ({ value: k, label: tc(kind, k) }));
  return (
    <Modal
      open={open}
      title={editing ? t('registry.form.editPerson', { name: person!.name }) : t('registry.form.newPerson')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      okButtonProps={{ 'data-testid': 'person-form-submit' } as ButtonProps}
      confirmLoading={save.isPending}
      width={720}
      forceRender
    >
      <Form<PersonFormValues> form={form} layout="vertical" onFinish={(v) => save.mutate(v)} data-testid="person-form">
        <Row gutter={12}>
          {!editing && (
            <Col xs={24} sm={12}>
              <Form.Item
                name="placeCode"
                label={t('registry.form.placeCode')}
                extra={t('registry.form.placeCodeHint')}
                rules={[{ required: true, pattern: /^(\d{12}|\d{24})$/, message: t('registry.form.placeCodeRule') }]}
              >
                <Input className="mono" autoComplete="off" data-testid="person-form-place" />
              </Form.Item>
            </Col>
          )}
          <Col xs={24} sm={12}>
            <Form.Item name="name" label={t('registry.name')} rules={[{ required: true, whitespace: true, max: 40, message: t('registry.form.nameRule') }]}>
              <Input autoComplete="off" data-testid="person-form-name" />
            </Form.Item>
          </Col>
          {!editing && (
            <>
              <Col xs={24} sm={8}>
                <Form.Item name="idType" label={t('registry.idType')} rules={[{ required: true }]}>
                  <Select options={options('idType', ['resident', 'passport', 'hk_macao', 'taiwan'])} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={16}>
                <Form.Item
                  name="idNumber"
                  label={t('registry.idNumber')}
                  dependencies={['idType']}
                  rules={[
                    { required: true, whitespace: true, message: t('registry.form.idRequired') },
                    ({ getFieldValue }) => ({
                      validator: (_, value?: string) =>
                        getFieldValue('idType') !== 'resident' || !value || /^\d{17}[\dXx]$/.test(value.trim())
                          ? Promise.resolve()
                          : Promise.reject(new Error(t('registry.form.idFormat'))),
                    }),
                  ]}
                >
                  <Input className="mono" autoComplete="off" maxLength={30} data-testid="person-form-id" />
                </Form.Item>
              </Col>
            </>
          )}
          <Col xs={24} sm={12}>
            <Form.Item
              name="phone"
              label={t('registry.phone')}
              extra={editing ? t('registry.form.phoneKeep', { masked: person!.phoneMasked ?? '—' }) : undefined}
              rules={[{ pattern: /^[\d+\s-]{7,20}$/, message: t('registry.form.phoneRule') }]}
            >
              <Input className="mono" autoComplete="off" data-testid="person-form-phone" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="residency" label={t('registry.residency')} rules={[{ required: true }]}>
              <Select options={options('residency', ['registered', 'migrant', 'foreign'])} data-testid="person-form-residency" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="ethnicity" label={t('registry.ethnicity')} rules={[maxLength(t, 20)]}>
              <Input autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="householdPlace" label={t('registry.householdPlace')} rules={[maxLength(t, 100)]}>
              <Input autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="tags" label={t('registry.tags')} extra={t('registry.form.tagsHint')}>
              <Select mode="multiple" allowClear options={PERSON_TAGS.map((x) => ({ value: x, label: x }))} data-testid="person-form-tags" />
            </Form.Item>
          </Col>
          {!editing && (
            <>
              <Col xs={24} sm={8}>
                <Form.Item name="relation" label={t('registry.relation')}>
                  <Select options={options('relation', ['owner', 'tenant', 'family', 'other'])} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={8}>
                <Form.Item name="headRelation" label={t('registry.headRelation')} rules={[maxLength(t, 10)]}>
                  <Input autoComplete="off" placeholder={t('registry.form.headRelationPh')} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={8}>
                <Form.Item name="moveIn" label={t('registry.moveIn')} rules={[{ pattern: /^\d{4}-\d{2}-\d{2}$/, message: t('registry.form.dateRule') }]}>
                  <Input autoComplete="off" placeholder="2024-05-01" />
                </Form.Item>
              </Col>
            </>
          )}
          {editing && (
            <Col xs={24} sm={12}>
              <Form.Item name="status" label={t('registry.form.status')}>
                <Select options={options('personStatus', ['active', 'moved_out', 'deceased'])} data-testid="person-form-status" />
              </Form.Item>
            </Col>
          )}
          <Col xs={24}>
            <Form.Item name="note" label={t('registry.form.note')} rules={[maxLength(t, 500)]}>
              <Input.TextArea rows={2} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
