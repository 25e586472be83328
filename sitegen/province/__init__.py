"""A province's portal and its communes' sites: one command, one theme, news flowing up.

The province's site.toml lists its members (`[[members]]`, key and path);
each member is a site folder of its own. One build makes every site: the
members in parallel over worker processes (each member's own pages in one
process), then the province, whose home page, `/tin-tu-co-so/` and feeds
show the members' newest posts, read from the members' sources (never
their built output, so the sites can be built in any order, on any
machine). Every site stages its files and nothing is renamed into place
until all of them built cleanly: a mistake in one commune leaves every
output as it was (writer.commit_all).

    members   [[members]] in site.toml, each member's config, the command line's settings
    news      a member's posts as the province shows them, read from its front matter
    pages     what the sites add to their builds: the member's header, the province's news pages and feeds
    stamps    what a site's last build was made from, checked without building it
    refresh   the province's news pages alone, when only what it shows of its members changed
    group     the build of all sites: members skipped, spread or built, then the province; one commit
"""

from sitegen.config import has_members
from sitegen.province.group import GroupResult, Outcome, build
from sitegen.province.members import (
    MEMBERS_URL,
    NEWS_URL,
    Member,
    MemberInfo,
    Settings,
    load_members,
    members_of,
)
from sitegen.province.news import NewsItem

__all__ = ["MEMBERS_URL", "NEWS_URL", "GroupResult", "Member", "MemberInfo", "NewsItem", "Outcome", "Settings",
           "build", "has_members", "load_members", "members_of"]
