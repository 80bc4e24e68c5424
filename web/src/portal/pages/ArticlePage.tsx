import { ArrowLeftOutlined } from "@ant-design/icons";
import { Button, Card, Skeleton, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import { api, unwrap } from "../../api/client";
import { when } from "../../lib/orders";
import { useLoad } from "../../shared/hooks";
import { ErrorAlert } from "../../shared/ui";

/** One published bulletin or guidance article (N-4). Its HTML is rendered on the server
 *  from Markdown with everything escaped first (notify's articles/domain.py); the page's
 *  CSP forbids inline scripts besides. */
export function ArticlePage() {
  const { t } = useTranslation();
  const { id = "" } = useParams();
  const article = useLoad(() => unwrap(api.GET("/api/portal/articles/{article_id}", { params: { path: { article_id: id } } })), [id]);
  return (
    <>
      <Link to="/"><Button type="link" icon={<ArrowLeftOutlined />} style={{ paddingLeft: 0 }}>{t("common.backHome")}</Button></Link>
      <ErrorAlert error={article.error} />
      {article.loading && <Skeleton active />}
      {article.data && (
        <Card>
          <Typography.Title level={3} style={{ marginTop: 0 }}>{article.data.title}</Typography.Title>
          <Typography.Paragraph type="secondary">
            <Tag color={article.data.kind === "bulletin" ? "blue" : "green"}>{t(`articles.kind.${article.data.kind}`, article.data.kind)}</Tag>
            {when(article.data.published_at)}
          </Typography.Paragraph>
          <div className="article-body" data-testid="article-body"
            dangerouslySetInnerHTML={{ __html: article.data.body_html }} />
        </Card>
      )}
    </>
  );
}
