import { ClockCircleOutlined, MessageOutlined, NotificationOutlined, PhoneOutlined, PushpinOutlined,
  ReadOutlined, ShoppingCartOutlined, TeamOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Col, Descriptions, Empty, List, Result, Row, Skeleton, Space,
  Statistic, Steps, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { api, unwrap } from "../../api/client";
import type { Schemas } from "../../api/client";
import { qqLink } from "../../lib/contacts";
import { formatDate } from "../../lib/dates";
import { useLoad } from "../../shared/hooks";
import { yuan } from "../../lib/money";
import { CustomerStatusTag } from "../../shared/ui";
import { useProfile } from "../profile";
import type { Profile } from "../profile";

/** The portal's home (N-4, A-5): account, contact person, bulletin board, guidance. */
export function HomePage() {
  const { profile } = useProfile();
  if (!profile) return <Skeleton active />;
  if (profile.status !== "approved") return <ReviewStatus profile={profile} />;
  return <Dashboard profile={profile} />;
}

/** Where the registration stands (C-2): waiting, or rejected with the reason and a way to
 * correct and resubmit. */
export function ReviewStatus({ profile }: { profile: Profile }) {
  const { t } = useTranslation();
  const rejected = profile.status === "rejected";
  return (
    <Card>
      <Steps
        current={rejected ? 1 : 1}
        status={rejected ? "error" : "process"}
        items={[
          { title: t("review.stepSubmitted"), description: formatDate(profile.created_at) },
          { title: rejected ? t("review.stepRejected") : t("review.stepReviewing"),
            icon: rejected ? undefined : <ClockCircleOutlined /> },
          { title: t("review.stepApproved") },
        ]}
        style={{ marginBottom: 24 }}
      />
      <Result
        status={rejected ? "warning" : "info"}
        title={rejected ? t("review.rejectedTitle") : t("review.pendingTitle")}
        subTitle={rejected ? t("review.rejectedText") : t("review.pendingText", { number: profile.customer_number })}
        extra={rejected ? (
          <Link to="/profile"><Button type="primary">{t("review.correct")}</Button></Link>
        ) : <Link to="/profile"><Button>{t("review.viewProfile")}</Button></Link>}
      >
        {rejected && profile.rejection_reason && (
          <Alert type="error" showIcon message={t("review.reason")} description={profile.rejection_reason} />
        )}
      </Result>
      <Descriptions size="small" column={{ xs: 1, sm: 2 }} bordered>
        <Descriptions.Item label={t("field.customer_number")}>{profile.customer_number}</Descriptions.Item>
        <Descriptions.Item label={t("field.status")}><CustomerStatusTag status={profile.status} /></Descriptions.Item>
        <Descriptions.Item label={t("field.name")}>{profile.name}</Descriptions.Item>
        <Descriptions.Item label={t("field.contact_person")}>{profile.contact_person}</Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

type Contact = Schemas["PortalContact"];

function Dashboard({ profile }: { profile: Profile }) {
  const { t } = useTranslation();
  const points = useLoad(() => unwrap(api.GET("/api/portal/points")), []);
  const contacts = useLoad(() => unwrap(api.GET("/api/portal/contacts")), []);
  const bulletins = useLoad(() => unwrap(api.GET("/api/portal/articles", { params: { query: { kind: "bulletin", limit: 5 } } })), []);
  const guidance = useLoad(() => unwrap(api.GET("/api/portal/articles", { params: { query: { kind: "guidance", limit: 5 } } })), []);

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24}>
        <Card>
          <Row gutter={[16, 16]} align="middle" className="stat-row">
            <Col xs={24} md={8}>
              <Typography.Title level={4} style={{ margin: 0 }}>{profile.name}</Typography.Title>
              <Space wrap size={4} style={{ marginTop: 6 }}>
                <Tag color="blue">{t("field.customer_number")} {profile.customer_number}</Tag>
                <Tag color="gold">{t(`grade.${profile.grade}`, profile.grade)}</Tag>
              </Space>
            </Col>
            <Col xs={12} md={4}><Statistic title={t("home.points")} value={points.data?.remaining ?? "—"} loading={points.loading} /></Col>
            <Col xs={12} md={4}><Statistic title={t("home.pointsPending")} value={points.data?.pending ?? "—"} loading={points.loading} /></Col>
            <Col xs={12} md={4}>
              <Statistic title={t("home.paidTotal")} value={yuan(profile.paid_total)} />
            </Col>
            <Col xs={12} md={4}>
              <Statistic title={t("home.nextDue")} value={profile.next_due_date ?? t("home.noCycle")} />
            </Col>
          </Row>
          <Space wrap style={{ marginTop: 16 }}>
            <Link to="/orders/new"><Button type="primary" icon={<ShoppingCartOutlined />}>{t("portal.menu.newOrder")}</Button></Link>
            <Link to="/orders"><Button>{t("portal.menu.orders")}</Button></Link>
            <Link to="/catalog"><Button>{t("portal.menu.catalog")}</Button></Link>
          </Space>
        </Card>
      </Col>
      <Col xs={24} lg={8}>
        <Card title={<><TeamOutlined /> {t("home.contacts")}</>} loading={contacts.loading} style={{ height: "100%" }}>
          {contacts.data && contacts.data.length > 0 ? (
            <List<Contact>
              dataSource={contacts.data}
              renderItem={(c) => (
                <List.Item>
                  <List.Item.Meta
                    title={<Space>{c.name}<Tag>{t(`contactRole.${c.role}`, c.role)}</Tag></Space>}
                    description={
                      <Space direction="vertical" size={2}>
                        <a href={`tel:${c.phone}`}><PhoneOutlined /> {c.phone}</a>
                        {c.qq && (
                          <span className="contact-qq">
                            <a href={qqLink(c.qq)}><MessageOutlined /> QQ {c.qq}</a>
                            <Typography.Text type="secondary"> · {t("home.qqChat")}</Typography.Text>
                          </span>
                        )}
                      </Space>
                    }
                  />
                </List.Item>
              )}
            />
          ) : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("home.noContacts")} />}
        </Card>
      </Col>
      <Col xs={24} lg={8}>
        <Card title={<><NotificationOutlined /> {t("home.bulletin")}</>} style={{ height: "100%" }}
          loading={bulletins.loading} data-testid="home-bulletin">
          <Board items={bulletins.data} empty={t("home.noBulletin")} />
        </Card>
      </Col>
      <Col xs={24} lg={8}>
        <Card title={<><ReadOutlined /> {t("home.guidance")}</>} style={{ height: "100%" }}
          loading={guidance.loading} data-testid="home-guidance">
          <Board items={guidance.data} empty={t("home.noGuidance")} />
        </Card>
      </Col>
    </Row>
  );
}


type BoardArticle = Schemas["BoardArticleOut"];

/** The latest published articles of one kind, pinned first (N-4); each opens its page. */
function Board({ items, empty }: { items: BoardArticle[] | undefined; empty: string }) {
  if (!items || items.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} />;
  return (
    <List<BoardArticle> size="small" dataSource={items} renderItem={(a) => (
      <List.Item>
        <Space size={4} style={{ minWidth: 0 }}>
          {a.pinned && <PushpinOutlined />}
          <Link to={`/articles/${a.id}`}><Typography.Text ellipsis={{ tooltip: a.title }} style={{ maxWidth: 260, color: "inherit" }}>{a.title}</Typography.Text></Link>
        </Space>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>{a.published_at ? formatDate(a.published_at) : ""}</Typography.Text>
      </List.Item>
    )} />
  );
}
