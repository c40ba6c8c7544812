import { useMemo, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Flex, Form, Image, Input, Result, Select, Switch, Typography } from 'antd';
import { CameraOutlined, AimOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { api, isApiError } from '../../app/api';
import { useAuth } from '../../app/auth';
import { useLang } from '../../app/LangContext';
import { showError } from '../../app/feedback';
import { eventApi, eventKeys, fileToDataUrl, type Duplicate, type EventDetail, type NewEvent } from './api';

interface FormValues {
  categoryCode: string;
  title: string;
  description?: string;
  placeCode: string;
  address?: string;
  escalate?: boolean;
  anonymous?: boolean;
  reporterName?: string;
  reporterPhone?: string;
}

/** The phone-sized report form (随手拍): grid workers on foot, community workers taking a call, residents. */
export default function ReportPage() {
  const { t, lang } = useLang();
  const { session, can } = useAuth();
  const [form] = Form.useForm<FormValues>();
  const roles = session?.roles ?? [];
  const isGrid = roles.some((r) => r.role === 'grid_worker');
  const isDesk = roles.some((r) => r.role === 'community_worker' || r.role === 'street_staff');
  const defaultPlace = roles.find((r) => r.scopeType === 'territory' && r.scopeCode)?.scopeCode ?? '';
  const [hotline, setHotline] = useState(false);
  const [photos, setPhotos] = useState<string[]>([]);
  const [coords, setCoords] = useState<{ lng: number; lat: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ event: EventDetail; duplicates: Duplicate[] } | null>(null);
  const idempotencyKey = useRef(crypto.randomUUID());
  const fileInput = useRef<HTMLInputElement>(null);
  const categories = useQuery({ queryKey: eventKeys.categories, queryFn: eventApi.categories });
  const placeCode = Form.useWatch('placeCode', form) ?? defaultPlace;
  const categoryCode = Form.useWatch('categoryCode', form);
  const buildings = useQuery({
    queryKey: ['territory', 'children', placeCode.slice(0, 15)],
    queryFn: () => api.get<{ items: { code: string; name: string }[] }>(`/api/territory/${placeCode.slice(0, 15)}/children`).then((r) => r.items),
    enabled: can('territory.read') && placeCode.length >= 15,
  });

  const options = useMemo(() => {
    const all = categories.data ?? [];
    return all
      .filter((c) => !c.parentCode && all.some((x) => x.parentCode === c.code))
      .map((p) => ({
        label: lang === 'zh' ? p.name : p.nameEn,
        options: all.filter((c) => c.parentCode === p.code).map((c) => ({ value: c.code, label: lang === 'zh' ? c.name : c.nameEn })),
      }))
      .concat(
        all
          .filter((c) => !c.parentCode && !all.some((x) => x.parentCode === c.code))
          .map((c) => ({ label: lang === 'zh' ? c.name : c.nameEn, options: [{ value: c.code, label: lang === 'zh' ? c.name : c.nameEn }] })),
      );
  }, [categories.data, lang]);
  const category = categories.data?.find((c) => c.code === categoryCode);

  const locate = () => {
    if (!navigator.geolocation) return showError(t('events.locateFailed'));
    navigator.geolocation.getCurrentPosition(
      (p) => setCoords({ lng: Number(p.coords.longitude.toFixed(6)), lat: Number(p.coords.latitude.toFixed(6)) }),
      () => showError(t('events.locateFailed')),
      { enableHighAccuracy: true, timeout: 10_000 },
    );
  };

  const addPhotos = async (files: FileList | null) => {
    if (!files) return;
    const added = await Promise.all([...files].slice(0, 6 - photos.length).map(fileToDataUrl));
    setPhotos((p) => [...p, ...added]);
  };

  const submit = async (v: FormValues) => {
    setBusy(true);
    try {
      const body: NewEvent = {
        categoryCode: v.categoryCode,
        title: v.title,
        description: v.description,
        placeCode: v.placeCode.trim(),
        address: v.address,
        ...(coords ?? {}),
        photos,
        escalate: isGrid ? !!v.escalate : undefined,
        anonymous: v.anonymous || undefined,
        idempotencyKey: idempotencyKey.current,
        ...(hotline ? { source: 'hotline' as const, reporterName: v.reporterName, reporterPhone: v.reporterPhone } : {}),
      };
      setDone(await eventApi.report(body));
    } catch (e) {
      showError(isApiError(e) ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <Card className="phone-card">
        <Result
          status="success"
          title={t('events.submitted', { number: done.event.number })}
          extra={[
            <Link key="view" to={`/events/${done.event.id}`}>
              <Button type="primary" data-testid="report-view">
                {t('events.viewEvent')}
              </Button>
            </Link>,
            <Button
              key="again"
              onClick={() => {
                setDone(null);
                setPhotos([]);
                idempotencyKey.current = crypto.randomUUID();
                form.resetFields();
              }}
            >
              {t('events.reportAnother')}
            </Button>,
          ]}
        />
        {done.duplicates.length > 0 && (
          <Alert
            type="warning"
            showIcon
            title={t('events.duplicates')}
            description={done.duplicates.map((d) => (
              <div key={d.id}>
                <Link to={`/events/${d.id}`}>
                  {d.number} {d.title}（{d.distance} m）
                </Link>
              </div>
            ))}
          />
        )}
      </Card>
    );
  }

  return (
    <Card className="phone-card" title={t('events.report')}>
      <Form<FormValues> form={form} layout="vertical" initialValues={{ placeCode: defaultPlace }} onFinish={(v) => void submit(v)} requiredMark={false}>
        <Form.Item name="categoryCode" label={t('events.category')} rules={[{ required: true }]}>
          <Select options={options} showSearch optionFilterProp="label" loading={categories.isLoading} data-testid="report-category" />
        </Form.Item>
        {category && (
          <Typography.Paragraph type="secondary" style={{ marginTop: -12, fontSize: 12 }}>
            {t('events.categoryHint', { a: category.acceptHours, d: category.handleDays, photo: category.photoRequired ? t('events.photoRequiredHint') : '' })}
          </Typography.Paragraph>
        )}
        <Form.Item name="title" label={t('events.titleField')} rules={[{ required: true, min: 2, max: 100 }]}>
          <Input maxLength={100} data-testid="report-title" />
        </Form.Item>
        <Form.Item name="description" label={t('events.description')}>
          <Input.TextArea rows={3} maxLength={2000} data-testid="report-description" />
        </Form.Item>
        <Form.Item name="placeCode" label={t('events.placeCode')} rules={[{ required: true, pattern: /^[0-9]{9,24}$/ }]}>
          <Input inputMode="numeric" data-testid="report-place" />
        </Form.Item>
        {(buildings.data?.length ?? 0) > 0 && (
          <Form.Item label={t('events.building')}>
            <Select
              allowClear
              placeholder={t('events.building')}
              options={buildings.data!.map((b) => ({ value: b.code, label: b.name }))}
              onChange={(code?: string) => {
                if (code) form.setFieldValue('placeCode', code);
                const b = buildings.data!.find((x) => x.code === code);
                if (b) form.setFieldValue('address', b.name);
              }}
              data-testid="report-building"
            />
          </Form.Item>
        )}
        <Form.Item name="address" label={t('events.address')}>
          <Input maxLength={200} data-testid="report-address" />
        </Form.Item>
        <Flex gap={8} align="center" wrap style={{ marginBottom: 16 }}>
          <Button icon={<AimOutlined />} onClick={locate} data-testid="report-locate">
            {t('events.locate')}
          </Button>
          {coords && <Typography.Text type="secondary">{t('events.located', coords)}</Typography.Text>}
        </Flex>
        <Form.Item label={t('events.photos')} extra={t('events.photoHint')}>
          <Flex gap={8} wrap>
            {photos.map((p, i) => (
              <Image key={i} src={p} width={72} height={72} style={{ objectFit: 'cover', borderRadius: 6 }} />
            ))}
            {photos.length < 6 && (
              <Button icon={<CameraOutlined />} style={{ width: 72, height: 72 }} onClick={() => fileInput.current?.click()} aria-label={t('events.addPhoto')} />
            )}
          </Flex>
          <input
            ref={fileInput}
            type="file"
            accept="image/jpeg,image/png,image/webp"
            capture="environment"
            multiple
            style={{ display: 'none' }}
            data-testid="report-photo-input"
            onChange={(e) => void addPhotos(e.target.files)}
          />
        </Form.Item>
        {isGrid && (
          <Form.Item name="escalate" valuePropName="checked">
            <Checkbox data-testid="report-escalate">{t('events.escalateNow')}</Checkbox>
          </Form.Item>
        )}
        {!isGrid && !isDesk && category?.anonymousAllowed && (
          <Form.Item name="anonymous" valuePropName="checked">
            <Checkbox>{t('events.anonymous')}</Checkbox>
          </Form.Item>
        )}
        {isDesk && (
          <Flex gap={8} align="center" style={{ marginBottom: 16 }}>
            <Switch checked={hotline} onChange={setHotline} data-testid="report-hotline" />
            <Typography.Text>{t('events.hotline')}</Typography.Text>
          </Flex>
        )}
        {hotline && (
          <>
            <Form.Item name="reporterName" label={t('events.callerName')}>
              <Input maxLength={40} />
            </Form.Item>
            <Form.Item name="reporterPhone" label={t('events.callerPhone')} rules={[{ required: true, pattern: /^[0-9 +-]{5,20}$/ }]}>
              <Input inputMode="tel" />
            </Form.Item>
          </>
        )}
        <Button type="primary" htmlType="submit" block size="large" loading={busy} data-testid="report-submit">
          {t('events.submit')}
        </Button>
      </Form>
    </Card>
  );
}
