import { Tag } from 'antd';
import { TAG_COLORS } from './api';

export function PersonTags({ ageTags, tags }: { ageTags: string[]; tags: string[] }) {
  return (
    <>
      {[...ageTags, ...tags].map((tag) => (
        <Tag key={tag} color={TAG_COLORS[tag]} style={{ marginInlineEnd: 4 }}>
          {tag}
        </Tag>
      ))}
    </>
  );
}
