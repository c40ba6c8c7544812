import { useMemo, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Drawer, Form, Input, Select, Upload } from 'antd';
import { CameraOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import { useAuth } from '../../app/auth';
import { useLang } from '../../app/LangContext';
import { delibApi, shrinkPhoto } from './api';

interface Values {
  placeCode: string;
  title: string;
  body: string;
}

/** The phone form to raise a topic: a place from the resident's own, text, up to three photos. */
export function RaiseTopicDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useLang();
  const { session } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [photos, setPhotos] = useState<{ contentType: string; dataBase64: string }[]>([]);
  // one key per opened form: a retry on a bad network creates nothing new
  const clientKey = useMemo(() => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`, [open]);
  const places = useMemo(() => {
    const out: { value: string; label: string }[] = [];
    for (const r of session?.roles ?? []) {
      if (r.scopeType !== 'territory' || !r.scopeCode || r.scopeCode.length < 12) continue;
      const c = r.scopeCode;
      out.push({ value: c.slice(0, 12), label: c.length === 12 && r.scopeName ? r.scopeName : t('topic.myCommunity') });
      if (c.length >= 18) out.push({ value: c.slice(0, 18), label: t('topic.myBuilding') });
    }
    return out.filter((p, i) => out.findIndex((q) => q.value === p.value) === i);
  }, [session, t]);
  const raise = useMutation({
    mutationFn: (v: Values) => delibApi.raise({ ...v, photos, clientKey }),
    onSuccess: (topic) => {
      void qc.invalidateQueries({ queryKey: ['deliberation'] });
      message.success(t('topic.submitted'));
      form.resetFields();
      setPhotos([]);
      onClose();
      navigate(`/topics/${topic.id}`);
    },
  });

  return (
    <Drawer open={open} onClose={onClose} placement="bottom" size="large" title={t('topic.raiseTitle')} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={{ placeCode: places[0]?.value }} onFinish={(v) => raise.mutate(v)}>
        <Form.Item name="placeCode" label={t('topic.place')} rules={[{ required: true, message: t('topic.required') }]}>
          <Select options={places} data-testid="topic-place" />
        </Form.Item>
        <Form.Item name="title" label={t('topic.title')} rules={[{ required: true, min: 2, message: t('topic.required') }]}>
          <Input maxLength={60} placeholder={t('topic.titlePlaceholder')} data-testid="topic-title" />
        </Form.Item>
        <Form.Item name="body" label={t('topic.body')} rules={[{ required: true, min: 2, message: t('topic.required') }]}>
          <Input.TextArea rows={4} maxLength={2000} placeholder={t('topic.bodyPlaceholder')} data-testid="topic-body" />
        </Form.Item>
        <Form.Item label={t('topic.photos')}>
          <Upload
            accept="image/*"
            listType="picture-card"
            maxCount={3}
            beforeUpload={async (file) => {
              try {
                const p = await shrinkPhoto(file);
                setPhotos((ps) => [...ps, p].slice(0, 3));
              } catch {
                message.error(t('topic.photoTooBig'));
              }
              return Upload.LIST_IGNORE;
            }}
            fileList={photos.map((p, i) => ({ uid: String(i), name: `photo-${i + 1}.jpg`, status: 'done', thumbUrl: `data:${p.contentType};base64,${p.dataBase64}` }))}
            onRemove={(f) => setPhotos((ps) => ps.filter((_, i) => String(i) !== f.uid))}
          >
            {photos.length < 3 && (
              <div>
                <CameraOutlined />
                <div style={{ marginTop: 4 }}>{t('topic.addPhoto')}</div>
              </div>
            )}
          </Upload>
        </Form.Item>
        <Button type="primary" htmlType="submit" block size="large" loading={raise.isPending} data-testid="topic-submit">
          {t('topic.submit')}
        </Button>
      </Form>
    </Drawer>
  );
}
