import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button } from 'antd';
import { LikeFilled, LikeOutlined } from '@ant-design/icons';
import { useLang } from '../../app/LangContext';
import { delibApi, type Topic } from './api';

/** One tap to support a neighbour's topic (or withdraw); a closed matter takes no support. */
export function SupportButton({ topic }: { topic: Topic }) {
  const { t } = useLang();
  const qc = useQueryClient();
  const m = useMutation({
    mutationFn: () => delibApi.support(topic.id, !topic.supportedByMe),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['deliberation'] }),
  });
  const takes = topic.status === 'open' || topic.status === 'agenda';
  return (
    <Button
      size="small"
      type={topic.supportedByMe ? 'primary' : 'default'}
      ghost={topic.supportedByMe}
      icon={topic.supportedByMe ? <LikeFilled /> : <LikeOutlined />}
      loading={m.isPending}
      disabled={!takes}
      onClick={() => m.mutate()}
      data-testid={`support-${topic.id}`}
    >
      {topic.supportedByMe ? t('topic.supported') : t('topic.support')} {topic.supportCount}
    </Button>
  );
}
