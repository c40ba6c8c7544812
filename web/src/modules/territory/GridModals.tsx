import { useEffect } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Form, Input, Modal, type ButtonProps } from 'antd';
import { useNavigate } from 'react-router-dom';
import { showSuccess } from '../../app/feedback';
import { useLang } from '../../app/LangContext';
import { BUILDING_LIMITS, territoryApi, type TerritoryNode } from './api';
import { refreshAround } from './placeCache';

interface Props {
  node: TerritoryNode;
  open: boolean;
  onClose: () => void;
}

/** A new grid in a community: the server numbers it and, without a name, calls it 「<社区>第N网格」. */
export function AddGridModal({ node: community, open, onClose }: Props) {
  const { t } = useLang();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [form] = Form.useForm<{ name?: string }>();
  const create = useMutation({
    mutationFn: (v: { name?: string }) => territoryApi.createGrid(community.code, v.name?.trim() || undefined),
    onSuccess: async (grid) => {
      showSuccess(t('territory.gridAdded', { name: grid.name }));
      form.resetFields();
      onClose();
      await refreshAround(queryClient, grid);
      navigate(`/territory/${grid.code}`);
    },
  });

  return (
    <Modal
      open={open}
      title={t('territory.addGridTitle', { name: community.name })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.create')}
      okButtonProps={{ 'data-testid': 'grid-add-submit' } as ButtonProps}
      confirmLoading={create.isPending}
      forceRender
    >
      <Form form={form} layout="vertical" onFinish={(v) => create.mutate(v)}>
        <Form.Item
          name="name"
          label={t('territory.gridName')}
          extra={t('territory.gridNameHint', { name: community.name })}
          rules={[{ max: BUILDING_LIMITS.gridName, message: t('territory.maxLength', { max: BUILDING_LIMITS.gridName }) }]}
        >
          <Input autoComplete="off" data-testid="grid-name" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Rename a grid; the node's version guards against overwriting someone else's change (409). */
export function RenameGridModal({ node: grid, open, onClose }: Props) {
  const { t } = useLang();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ name: string }>();
  useEffect(() => {
    if (open) form.setFieldsValue({ name: grid.name });
  }, [open, grid.name, form]);
  const rename = useMutation({
    mutationFn: (v: { name: string }) => territoryApi.renameGrid(grid.code, v.name.trim(), grid.version ?? 1),
    onSuccess: async (after) => {
      showSuccess(t('territory.gridRenamed'));
      onClose();
      await refreshAround(queryClient, after);
    },
  });

  return (
    <Modal
      open={open}
      title={t('territory.renameGridTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      okButtonProps={{ 'data-testid': 'grid-rename-submit' } as ButtonProps}
      confirmLoading={rename.isPending}
      forceRender
    >
      <Form form={form} layout="vertical" onFinish={(v) => rename.mutate(v)}>
        <Form.Item
          name="name"
          label={t('territory.gridName')}
          rules={[
            { required: true, whitespace: true, message: t('territory.gridNameRequired') },
            { max: BUILDING_LIMITS.gridName, message: t('territory.maxLength', { max: BUILDING_LIMITS.gridName }) },
          ]}
        >
          <Input autoComplete="off" data-testid="grid-rename-name" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
