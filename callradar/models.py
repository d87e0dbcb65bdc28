"""The ORM models: every table of callradar, typed with SQLAlchemy 2.0 ``Mapped``."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Row ids are signed 64-bit integers: a larger number names no row, and a driver cannot even
# bind it, so ids typed by users are checked against this first.
MAX_ROW_ID = 2**63 - 1


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """A moment stored in UTC and always read back time-zone aware.

    SQLite keeps no offset and hands back naive values, which cannot be compared with
    aware ones; PostgreSQL hands back aware values. This makes both the same.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: give moments with a time zone")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    # Named constraints keep Alembic migrations portable between SQLite and PostgreSQL.
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )
    type_annotation_map = {
        datetime: UtcDateTime(),
        dict[str, Any]: JSON,
        list[Any]: JSON,
        list[str]: JSON,
    }


class Source(Base):
    """A place calls come from: a spider's name, or ``manual``."""

    __tablename__ = "sources"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    url: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    runs: Mapped[list[SourceRun]] = relationship(back_populates="source_obj")


class SourceRun(Base):
    """One crawl of one source, with its counts and field-validation figures."""

    __tablename__ = "source_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(ForeignKey("sources.name"), index=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    ok: Mapped[bool] = mapped_column(Boolean, default=False)
    seen: Mapped[int] = mapped_column(default=0)
    new: Mapped[int] = mapped_column(default=0)
    changed: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    errors: Mapped[int] = mapped_column(default=0)
    field_stats: Mapped[dict[str, Any]] = mapped_column(default=dict)
    message: Mapped[str | None] = mapped_column(Text)

    source_obj: Mapped[Source] = relationship(back_populates="runs")


class SourceAlert(Base):
    """A source problem the coordinator was alerted about, open until the source recovers.

    Kept so that a source that stays broken is not alerted about every day: an open problem is
    alerted again only after CALLRADAR_ALERT_REPEAT_DAYS, and its end is announced once.
    """

    __tablename__ = "source_alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(ForeignKey("sources.name"), index=True)
    problem: Mapped[str] = mapped_column(String(40))
    first_run_id: Mapped[int]
    first_alerted_at: Mapped[datetime] = mapped_column(default=utcnow)
    alerted_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]


class Call(Base):
    """A funding call (a topic of the EU portal, a competition of an agency)."""

    __tablename__ = "calls"
    __table_args__ = (UniqueConstraint("source", "external_id", name="uq_calls_source_external"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(ForeignKey("sources.name"), index=True)
    external_id: Mapped[str] = mapped_column(String(200))
    # Upper-cased identifier used to find the same call listed by another source.
    ref: Mapped[str] = mapped_column(String(200), index=True)
    same_as_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id"))
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str | None] = mapped_column(String(1000))
    programme: Mapped[str | None] = mapped_column(String(200))
    call_identifier: Mapped[str | None] = mapped_column(String(200))
    type_of_action: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str | None] = mapped_column(String(20))
    opening_date: Mapped[date | None] = mapped_column(Date)
    budget: Mapped[float | None] = mapped_column(Numeric(18, 2, asdecimal=False))
    currency: Mapped[str | None] = mapped_column(String(3))
    language: Mapped[str | None] = mapped_column(String(8))
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)
    fingerprint: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(default=1)
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_at: Mapped[datetime | None]
    # The fingerprint the current tags were computed from; differs when the call changed.
    tagged_fingerprint: Mapped[str | None] = mapped_column(String(64))
    # Set once the coordinator corrected the areas: from then on they, not the tagger, decide.
    tags_corrected_at: Mapped[datetime | None]
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    review_status: Mapped[str] = mapped_column(String(20), default="pending")
    review_reason: Mapped[str | None] = mapped_column(Text)
    reviewed_at: Mapped[datetime | None]
    # What the call's matches were last computed from (text, tags, members, open or not);
    # matching skips calls whose key is unchanged.
    matched_key: Mapped[str | None] = mapped_column(String(64))

    deadlines: Mapped[list[CallDeadline]] = relationship(
        back_populates="call",
        cascade="all, delete-orphan",
        order_by="CallDeadline.latest",
    )
    versions: Mapped[list[CallVersion]] = relationship(
        back_populates="call", cascade="all, delete-orphan", order_by="CallVersion.version"
    )
    tags: Mapped[list[CallTag]] = relationship(back_populates="call", cascade="all, delete-orphan")


class CallDeadline(Base):
    """One deadline of a call; a call may have several (stages, cut-offs)."""

    __tablename__ = "call_deadlines"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    # ISO 8601 as precise as known: 2026-06-16T17:00:00+02:00, 2026-06-16, 2026-06, 2027-Q1.
    value: Mapped[str] = mapped_column(String(40))
    precision: Mapped[str] = mapped_column(String(10))
    # The last day the deadline can fall on: a month or a quarter is not over before its end.
    latest: Mapped[date] = mapped_column(Date)

    call: Mapped[Call] = relationship(back_populates="deadlines")


class CallVersion(Base):
    """A snapshot of a call each time its content changed."""

    __tablename__ = "call_versions"
    __table_args__ = (UniqueConstraint("call_id", "version", name="uq_call_versions_call_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    fingerprint: Mapped[str] = mapped_column(String(64))
    snapshot: Mapped[dict[str, Any]]
    changed_fields: Mapped[list[str]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    call: Mapped[Call] = relationship(back_populates="versions")


class TechnologyArea(Base):
    """An area or a domain of the taxonomy (seeded by the migrations from callradar.taxonomy)."""

    __tablename__ = "technology_areas"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    domain: Mapped[str] = mapped_column(String(64))
    is_domain: Mapped[bool] = mapped_column(Boolean, default=False)
    name_en: Mapped[str] = mapped_column(String(200))
    name_pl: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)


class CallTag(Base):
    """A technology area (or domain) assigned to a call, with its score and evidence."""

    __tablename__ = "call_tags"
    __table_args__ = (UniqueConstraint("call_id", "code", name="uq_call_tags_call_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(ForeignKey("technology_areas.code"))
    score: Mapped[float] = mapped_column(Float)
    evidence: Mapped[list[str]] = mapped_column(default=list)
    # "tagger" for the pipeline's own tags, "coordinator" for a correction.
    origin: Mapped[str] = mapped_column(String(20), default="tagger")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    call: Mapped[Call] = relationship(back_populates="tags")


class Member(Base):
    """An organisation of the cluster, as the competence map describes it."""

    __tablename__ = "members"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))
    city: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str] = mapped_column(String(2), default="PL")
    website: Mapped[str | None] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
    keywords: Mapped[list[str]] = mapped_column(default=list)
    trl_min: Mapped[int | None]
    trl_max: Mapped[int | None]
    roles: Mapped[list[str]] = mapped_column(default=list)
    mentor: Mapped[bool] = mapped_column(Boolean, default=False)
    # The year it joined the cluster, as the office's file says (the indicators count new
    # members by it; without it, by the year the member was first imported).
    joined: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    competences: Mapped[list[Competence]] = relationship(
        back_populates="member", cascade="all, delete-orphan", order_by="Competence.code"
    )
    # Every contact the member has had: one its file or profile leaves out is kept, marked
    # removed, so that its notification history and "stop these messages" are there again
    # when it comes back (its calls are not sent twice).
    all_contacts: Mapped[list[Contact]] = relationship(
        back_populates="member", cascade="all, delete-orphan", order_by="Contact.position"
    )
    # Its contacts now: those shown, exported and told of calls.
    contacts: Mapped[list[Contact]] = relationship(
        primaryjoin="and_(Contact.member_id == Member.id, Contact.removed.is_(False))",
        order_by="Contact.position",
        viewonly=True,
    )
    projects: Mapped[list[PastProject]] = relationship(
        back_populates="member", cascade="all, delete-orphan", order_by="PastProject.position"
    )


class Competence(Base):
    """What a member can do: an area (or domain) code and a level 1..3 (3 = core business)."""

    __tablename__ = "competences"
    __table_args__ = (UniqueConstraint("member_id", "code", name="uq_competences_member_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(ForeignKey("technology_areas.code"))
    level: Mapped[int]

    member: Mapped[Member] = relationship(back_populates="competences")


class Contact(Base):
    """A person of a member to tell about calls, in their language and rhythm."""

    __tablename__ = "contacts"
    __table_args__ = (UniqueConstraint("member_id", "email", name="uq_contacts_member_email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320))
    language: Mapped[str] = mapped_column(String(2), default="pl")
    notify: Mapped[list[str]] = mapped_column(default=list)
    digest: Mapped[str] = mapped_column(String(10), default="daily")
    # Secret of the "stop these messages" link.
    unsubscribe_token: Mapped[str] = mapped_column(String(64), unique=True)
    unsubscribed: Mapped[bool] = mapped_column(Boolean, default=False)
    # Left out of the member's list (see Member.all_contacts).
    removed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    member: Mapped[Member] = relationship(back_populates="all_contacts")


class PastProject(Base):
    """A member's past international or national project: the mentors' experience."""

    __tablename__ = "past_projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    programme: Mapped[str] = mapped_column(String(200))
    call: Mapped[str | None] = mapped_column(String(200))
    acronym: Mapped[str | None] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(20))
    year: Mapped[int]
    areas: Mapped[list[str]] = mapped_column(default=list)
    outcome: Mapped[str] = mapped_column(String(20))
    lessons: Mapped[str | None] = mapped_column(Text)

    member: Mapped[Member] = relationship(back_populates="projects")


class Match(Base):
    """How well a call fits a member, and why."""

    __tablename__ = "matches"
    __table_args__ = (UniqueConstraint("call_id", "member_id", name="uq_matches_call_member"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[list[str]] = mapped_column(default=list)
    # The same reasons in Polish (``reasons`` are in English).
    reasons_pl: Mapped[list[str] | None] = mapped_column(JSON)
    call_version: Mapped[int] = mapped_column(default=1)
    # "not-relevant" when the member said so; such a call is never sent to it again.
    feedback: Mapped[str | None] = mapped_column(String(20))
    feedback_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class CallMatchFeatures(Base):
    """What matching reads from a call's text: who may apply and the stems of its words.

    Reading them is most of the cost of matching a call, and they change only with the
    call's text, so they are kept per call and recomputed when ``key`` no longer fits the
    call (see ``matching.features``), not at every matching against changed members.
    """

    __tablename__ = "call_match_features"

    call_id: Mapped[int] = mapped_column(
        ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(64))
    conditions: Mapped[list[Any]] = mapped_column(default=list)
    # Every word's stem in order, as numbers (``matching.keywords.stem_hashes``).
    stem_hashes: Mapped[bytes] = mapped_column(LargeBinary, default=b"")


class Notification(Base):
    """The outbox: one message due to one contact on one channel about one call version."""

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint(
            "contact_id", "call_id", "call_version", "channel", name="uq_notifications_once"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    call_version: Mapped[int]
    channel: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    claimed_at: Mapped[datetime | None]
    # The sender run that claimed the row: only it may mark the row sent or failed.
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    sent_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Consortium(Base):
    """A group of members going for a call together, with a lead and a mentor."""

    __tablename__ = "consortia"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    lead_id: Mapped[str] = mapped_column(ForeignKey("members.id"))
    mentor_id: Mapped[str | None] = mapped_column(ForeignKey("members.id"))
    # forming | submitted | funded | rejected | withdrawn
    status: Mapped[str] = mapped_column(String(20), default="forming")
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    partners: Mapped[list[ConsortiumPartner]] = relationship(
        back_populates="consortium", cascade="all, delete-orphan"
    )
    packs: Mapped[list[ProposalPack]] = relationship(
        back_populates="consortium", cascade="all, delete-orphan", order_by="ProposalPack.version"
    )


class ConsortiumPartner(Base):
    __tablename__ = "consortium_partners"
    __table_args__ = (
        UniqueConstraint("consortium_id", "member_id", name="uq_consortium_partners_member"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consortium_id: Mapped[int] = mapped_column(ForeignKey("consortia.id", ondelete="CASCADE"))
    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"))

    consortium: Mapped[Consortium] = relationship(back_populates="partners")


class ProposalPack(Base):
    """A generated draft proposal pack (.zip), versioned per consortium."""

    __tablename__ = "proposal_packs"
    __table_args__ = (
        UniqueConstraint("consortium_id", "version", name="uq_proposal_packs_version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consortium_id: Mapped[int] = mapped_column(ForeignKey("consortia.id", ondelete="CASCADE"))
    version: Mapped[int]
    path: Mapped[str] = mapped_column(String(1000))
    sha256: Mapped[str] = mapped_column(String(64))
    template: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    consortium: Mapped[Consortium] = relationship(back_populates="packs")
    members: Mapped[list[ProposalPackMember]] = relationship(
        back_populates="pack", cascade="all, delete-orphan"
    )


class ProposalPackMember(Base):
    """A member a pack was made for (lead, partner or mentor): who may download that version.

    Kept per pack, not read off the consortium, because the consortium changes between
    versions: a partner added later does not get the earlier drafts.
    """

    __tablename__ = "proposal_pack_members"
    __table_args__ = (
        UniqueConstraint("pack_id", "member_id", "role", name="uq_proposal_pack_members_role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pack_id: Mapped[int] = mapped_column(ForeignKey("proposal_packs.id", ondelete="CASCADE"))
    member_id: Mapped[str] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(20))  # lead | partner | mentor

    pack: Mapped[ProposalPack] = relationship(back_populates="members")


class User(Base):
    """A person who logs in to the web app: the coordinator, or staff of a member."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20))  # coordinator | member
    member_id: Mapped[str | None] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(2), default="pl")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # Secret of the member's private calendar feed URL; made on first use, can be renewed.
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Raised at log-out: every session cookie of the user issued before is void, so a
    # copied cookie stops working when its owner logs out.
    session_epoch: Mapped[int] = mapped_column(default=0, server_default="0")


class LoginFailure(Base):
    """A failed log-in, kept for a while to slow down password guessing per account and IP."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), index=True)
    ip: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class JobLock(Base):
    """A lease held by a running job (the daily flow) so that two runs never overlap."""

    __tablename__ = "job_locks"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    acquired_at: Mapped[datetime]
    expires_at: Mapped[datetime]
