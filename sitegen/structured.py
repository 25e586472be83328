"""schema.org JSON-LD for search engines and sharing (Decree 224/2026, art. 11): plain dicts that
templates write as `<script type="application/ld+json">{{ ...|tojson }}</script>` data blocks.

Data blocks are not scripts: browsers never run them, so the Content
Security Policy (script-src 'self') stays as it is.
"""

from __future__ import annotations

from typing import Any

from sitegen.documents import Document
from sitegen.kinds import Card, Post
from sitegen.model import Config

CONTEXT = "https://schema.org"


def _absolute(cfg: Config, path: str) -> str:
    return path if "://" in path else cfg.base_url + path.lstrip("/")


def organization(cfg: Config) -> dict[str, Any]:
    """The agency behind the portal, as a GovernmentOrganization."""
    org: dict[str, Any] = {"@type": "GovernmentOrganization", "name": cfg.author or cfg.title, "url": cfg.base_url}
    if cfg.logo:
        org["logo"] = {"@type": "ImageObject", "url": _absolute(cfg, cfg.logo)}
    if cfg.address:
        org["address"] = {"@type": "PostalAddress", "streetAddress": cfg.address, "addressCountry": "VN"}
    if cfg.phone:
        org["telephone"] = cfg.phone
    if cfg.email:
        org["email"] = cfg.email
    return org


def home(cfg: Config) -> dict[str, Any]:
    return {"@context": CONTEXT, **organization(cfg), "description": cfg.description or cfg.title}


def news_article(cfg: Config, post: Post | Card) -> dict[str, Any]:
    """headline, dates with the site's offset (+07:00), image, author, publisher."""
    ld: dict[str, Any] = {
        "@context": CONTEXT, "@type": "NewsArticle", "headline": post.title[:110],
        "mainEntityOfPage": cfg.base_url + post.url, "url": cfg.base_url + post.url,
        "inLanguage": cfg.language, "publisher": organization(cfg),
        "author": {"@type": "Person", "name": post.author} if post.author else organization(cfg),
    }
    if post.date:
        ld["datePublished"] = post.date.isoformat()
        ld["dateModified"] = (post.updated or post.date).isoformat()
    if post.image:
        image: dict[str, Any] = {"@type": "ImageObject", "url": _absolute(cfg, post.image)}
        if post.image_width:
            image |= {"width": post.image_width, "height": post.image_height}
        ld["image"] = image
    if post.summary:
        ld["description"] = post.summary
    if post.category:
        ld["articleSection"] = post.category.name
    return ld


def legislation(cfg: Config, doc: Document) -> dict[str, Any]:
    """A document as schema.org Legislation: number, type, dates, legal force, the body that passed it,
    the documents it replaces (legislationChanges) and its files."""
    ld: dict[str, Any] = {
        "@context": CONTEXT, "@type": "Legislation", "name": f"{doc.loai} {doc.so_ky_hieu}",
        "legislationIdentifier": doc.so_ky_hieu, "legislationType": doc.loai, "abstract": doc.trich_yeu,
        "legislationDate": doc.ngay_ban_hanh.date().isoformat(), "datePublished": doc.ngay_ban_hanh.isoformat(),
        "legislationLegalForce": f"{CONTEXT}/{'InForce' if doc.in_force else 'NotInForce'}",
        "legislationPassedBy": {"@type": "GovernmentOrganization", "name": doc.co_quan},
        "legislationJurisdiction": cfg.author or cfg.title, "inLanguage": cfg.language,
        "url": cfg.base_url + doc.url, "publisher": organization(cfg),
    }
    if doc.ngay_hieu_luc:
        ld["legislationDateOfApplicability"] = doc.ngay_hieu_luc.date().isoformat()
    if doc.nguoi_ky:
        ld["legislationResponsible"] = {"@type": "Person", "name": doc.nguoi_ky}
    if doc.linh_vuc:
        ld["about"] = doc.linh_vuc
    if doc.replaces:
        ld["legislationChanges"] = [{"@type": "Legislation", "legislationIdentifier": other.so_ky_hieu,
                                     "url": cfg.base_url + other.url} for other in doc.replaces]
    if doc.attachments:
        ld["encoding"] = [{"@type": "MediaObject", "contentUrl": _absolute(cfg, f.path), "encodingFormat": f.media_type,
                           "contentSize": f"{f.size} B", "name": f.name} for f in doc.attachments]
    return ld
