"""Generate a realistic, broken Drizzle pg-core schema folder for the speed benchmark.

The shape imitates the production schema described in /work/shared/PATTERNS.md:
157 TypeScript files in 14 domain folders, one ``relations.ts`` per domain, a barrel
``schema/index.ts``. Table files are healthy ``pgTable`` definitions (6-15 columns,
foreign keys, pgEnums from ``core/enums.ts``, some files holding several tables,
kebab and camel file names). The relations files are what a script that guessed
"one file per table" would write: about 30% of the imported names point at a
per-table file or a folder that does not exist, or at a sibling that does not export
them; a few import names that exist nowhere (unused); a couple of tables have their
relations declared twice (mergeable: the second declaration only adds back-relations,
and one duplicated key repeats the same value). The barrel exports every table file
and none of the relations files.

    python bench/gen_schema.py OUT [--scale 4] [--seed 1] [--healthy]

``--scale N`` repeats the 14 domains N times (``forum``, ``forum2``, ...), each copy
with its own table names, so 4x is about 630 files. ``--healthy`` writes the same
schema with correct imports, no duplicates and relations in the barrel (tsc's
baseline, and a check that the generator itself writes valid TypeScript).

Deterministic: the same arguments give the same bytes.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

# Domain order doubles as the foreign-key order: a table only references tables of
# earlier domains (or earlier tables of its own domain), so there are no cycles.
VOCABULARY: dict[str, list[str]] = {
    "core": ["appSettings", "featureFlags", "auditEvents", "apiKeys", "rateLimits", "jobRuns", "uploads",
             "webhooks", "webhookDeliveries", "locales", "countries", "currencies", "timezones", "migrationLog"],
    "user": ["users", "profiles", "sessions", "userSettings", "userPreferences", "emailVerifications",
             "passwordResets", "twoFactorSecrets", "loginAttempts", "userDevices", "userAddresses",
             "userPromotions", "oauthAccounts", "userNotes"],
    "system": ["systemJobs", "cronSchedules", "maintenanceWindows", "systemAlerts", "healthChecks",
               "cacheEntries", "mailQueue", "smsQueue", "pushTokens", "serverNodes", "errorReports",
               "systemMetrics", "backgroundTasks", "configSnapshots"],
    "dictionary": ["dictionaryWords", "wordDefinitions", "wordExamples", "wordTags", "synonyms", "antonyms",
                   "translations", "languagePairs", "wordReports", "wordVotes", "pronunciations", "etymologies",
                   "wordLists", "wordListItems"],
    "admin": ["adminUsers", "adminRoles", "adminPermissions", "rolePermissions", "moderationActions", "bans",
              "mutes", "adminNotes", "contentFlags", "appeals", "staffShifts", "adminAuditTrail", "ipBlocks",
              "reportQueues"],
    "wallet": ["wallets", "walletTransactions", "deposits", "withdrawals", "paymentMethods", "payoutAccounts",
               "exchangeRates", "ledgerEntries", "walletHolds", "transferRequests", "invoices", "refunds",
               "chargebacks", "taxRecords"],
    "economy": ["currencyAccounts", "coinGrants", "coinSpends", "priceHistories", "marketListings", "marketBids",
                "marketTrades", "economySnapshots", "taxBrackets", "inflationEvents", "dailyRewards",
                "rewardClaims", "loans", "loanPayments"],
    "shop": ["products", "productVariants", "productImages", "categories", "carts", "cartItems", "orders",
             "orderItems", "shipments", "coupons", "couponRedemptions", "productReviews", "wishlists",
             "stockMovements"],
    "forum": ["forums", "topics", "posts", "postReactions", "postEdits", "topicSubscriptions", "topicTags",
              "polls", "pollOptions", "pollVotes", "postReports", "forumModerators", "topicViews", "drafts"],
    "messaging": ["conversations", "conversationMembers", "chatMessages", "messageAttachments",
                  "messageReactions", "readReceipts", "typingEvents", "mutedConversations", "messageReports",
                  "broadcasts", "broadcastRecipients", "chatBots", "pinnedMessages", "messageDrafts"],
    "social": ["follows", "friendRequests", "friendships", "userBlocks", "activityFeed", "feedComments",
               "feedLikes", "groups", "groupMembers", "groupInvites", "mentions", "shares", "profileVisits",
               "socialReports"],
    "gamification": ["achievements", "userAchievements", "badges", "userBadges", "levels", "experienceEvents",
                     "quests", "questSteps", "questProgress", "leaderboards", "leaderboardEntries", "streaks",
                     "seasons", "seasonRewards"],
    "collectibles": ["collectibleSets", "collectibles", "userCollectibles", "stickers", "stickerPacks",
                     "stickerPackItems", "packOpenings", "tradeOffers", "tradeOfferItems", "rarities",
                     "craftingRecipes", "craftingIngredients", "showcases", "showcaseSlots"],
    "advertising": ["advertisers", "campaigns", "adGroups", "creatives", "placements", "impressions", "clicks",
                    "conversions", "budgets", "targetingRules", "adReviews", "adInvoices", "frequencyCaps",
                    "audienceSegments"],
}
DOMAINS = list(VOCABULARY)
SPARE_NOUNS = ["Archives", "Snapshots", "Exports", "Imports", "Logs", "Stats", "Limits", "Labels", "Links",
               "Schedules", "Templates", "Revisions", "Quotas", "Digests"]
GROUP_FILE_NAMES = ["settings", "history", "ledger", "catalog", "tracking", "moderation", "lookup"]

ENUMS = [  # name, sql name, values, column name it is used for
    ("userRoleEnum", "user_role", ["member", "moderator", "admin", "owner"], "role"),
    ("contentStatusEnum", "content_status", ["draft", "published", "hidden", "deleted"], "status"),
    ("paymentStatusEnum", "payment_status", ["pending", "paid", "failed", "refunded"], "paymentStatus"),
    ("visibilityEnum", "visibility", ["public", "friends", "private"], "visibility"),
    ("rarityEnum", "rarity", ["common", "uncommon", "rare", "epic", "legendary"], "rarity"),
    ("reportReasonEnum", "report_reason", ["spam", "abuse", "scam", "other"], "reason"),
    ("platformEnum", "platform", ["web", "ios", "android"], "platform"),
]

# (column name, pg-core builder, rendered builder call with {sql} placeholder)
PLAIN_COLUMNS = [
    ("name", "varchar", "varchar('{sql}', {{ length: 120 }}).notNull()"),
    ("title", "varchar", "varchar('{sql}', {{ length: 200 }}).notNull()"),
    ("slug", "varchar", "varchar('{sql}', {{ length: 160 }}).notNull().unique()"),
    ("description", "text", "text('{sql}')"),
    ("body", "text", "text('{sql}').notNull()"),
    ("isActive", "boolean", "boolean('{sql}').notNull().default(true)"),
    ("isPinned", "boolean", "boolean('{sql}').notNull().default(false)"),
    ("sortOrder", "integer", "integer('{sql}').notNull().default(0)"),
    ("amountCents", "integer", "integer('{sql}').notNull()"),
    ("quantity", "integer", "integer('{sql}').notNull().default(1)"),
    ("score", "integer", "integer('{sql}').notNull().default(0)"),
    ("price", "numeric", "numeric('{sql}', {{ precision: 12, scale: 2 }})"),
    ("metadata", "jsonb", "jsonb('{sql}').$type<Record<string, unknown>>().default({{}})"),
    ("currency", "char", "char('{sql}', {{ length: 3 }}).notNull().default('EUR')"),
    ("ipAddress", "varchar", "varchar('{sql}', {{ length: 45 }})"),
    ("expiresAt", "timestamp", "timestamp('{sql}', {{ withTimezone: true }})"),
    ("publishedAt", "timestamp", "timestamp('{sql}', {{ withTimezone: true }})"),
    ("updatedAt", "timestamp", "timestamp('{sql}', {{ withTimezone: true }}).notNull().defaultNow()"),
]
USER_FK_NAMES = ["userId", "ownerId", "authorId", "createdById", "requestedById"]
RELATION_BREAKS = 3  # per copy of the domains: domains tried for each SF007 / SF008 breakage


def shard(name: str) -> str:
    """The shard suffix of a domain or table name ('' for the first copy, '2', '3', ...)."""
    return re.sub(r"^\D+", "", name)


def kebab(name: str) -> str:
    return re.sub(r"([a-z0-9])([A-Z])", r"\1-\2", name).lower()


def snake(name: str) -> str:
    return kebab(name).replace("-", "_")


def singular(name: str) -> str:
    for plural, single in (("ies", "y"), ("sses", "ss"), ("ches", "ch"), ("shes", "sh"), ("xes", "x")):
        if name.endswith(plural):
            return name[: -len(plural)] + single
    return name[:-1] if name.endswith("s") and not name.endswith("ss") else name


@dataclass
class Column:
    name: str
    code: str  # the builder call, e.g. "uuid('user_id').notNull().references(() => users.id)"
    builders: tuple[str, ...]  # pg-core imports it needs
    target: str | None = None  # referenced table
    enum: str | None = None


@dataclass
class Table:
    name: str
    domain: str  # folder name (with the shard suffix)
    module: str = ""  # 'schema/forum/topics' (no extension)
    columns: list[Column] = field(default_factory=list)
    index_on: str | None = None


@dataclass
class Generated:
    files: dict[str, str]
    stats: dict[str, object]


class Generator:
    def __init__(self, *, files: int, domains: int, scale: int, seed: int, break_rate: float, healthy: bool):
        if not 1 <= domains <= len(DOMAINS):
            raise ValueError(f"--domains must be between 1 and {len(DOMAINS)}")
        table_files = files - domains - 1  # minus one relations.ts per domain and the barrel
        if table_files < domains:
            raise ValueError("--files too small for that many domains")
        self.rng = random.Random(seed)
        # A second stream for the relation breakages added later (SF007, SF008), so the
        # first stream, and with it every byte the earlier breakages wrote, stays the same.
        self.relations_rng = random.Random(f"relations-{seed}")
        self._column_counts: dict[str, int] | None = None  # column name -> tables having it
        self.domains = DOMAINS[:domains]
        self.scale = scale
        self.per_domain = [table_files // domains + (1 if i < table_files % domains else 0) for i in range(domains)]
        self.break_rate = break_rate
        self.healthy = healthy
        self.tables: dict[str, Table] = {}  # name -> table, in definition order
        self.taken: set[str] = set()  # table names handed out (a file's names are drawn before registering)
        self.modules: dict[str, list[str]] = {}  # module -> table names, in definition order
        # Indexes that keep generation linear in the number of tables (same bytes as scans).
        self._by_domain: dict[str, list[Table]] = {}  # domain -> its tables, in definition order
        self._by_shard: dict[str, list[Table]] = {}  # shard suffix -> its tables, in definition order
        self._order: dict[str, int] = {}  # table name -> definition index
        self._children: dict[str, list[Table]] | None = None  # table -> tables referencing it
        self._domain_modules: dict[str, list[str]] = {}  # domain -> its modules, in insertion order
        self._module_index: dict[str, int] = {}  # module -> insertion index
        self.files: dict[str, str] = {}
        self.stats = {"broken_imports": 0, "import_entries": 0, "phantom_names": 0, "duplicate_relations": 0,
                      "duplicate_keys": 0, "enums": 0,
                      "misplaced_relations": 0, "missing_inverses": 0}

    # --- layout -------------------------------------------------------------------

    def build(self) -> Generated:
        for shard in range(self.scale):
            suffix = "" if shard == 0 else str(shard + 1)
            self._layout_shard(suffix)
        for module, names in self.modules.items():
            if names:
                self.files[module + ".ts"] = self._render_table_file(module, names)
        for shard in range(self.scale):
            suffix = "" if shard == 0 else str(shard + 1)
            self._render_enums(suffix)
            dup_domains: set[str] = set()
            misplace: set[str] = set()
            drop_inverse: set[str] = set()
            if not self.healthy:
                dup_domains = set(self.rng.sample(self.domains[1:], min(2, len(self.domains) - 1)))
                k = min(RELATION_BREAKS, len(self.domains))
                misplace = set(self.relations_rng.sample(self.domains, k))
                drop_inverse = set(self.relations_rng.sample(self.domains, k))
            for domain in self.domains:
                self.files[f"schema/{domain}{suffix}/relations.ts"] = self._render_relations(
                    domain + suffix, duplicate=domain in dup_domains, misplace=domain in misplace,
                    drop_inverse=domain in drop_inverse)
        self.files["schema/index.ts"] = self._render_barrel()
        self.files["tsconfig.json"] = json.dumps({
            "compilerOptions": {
                "target": "es2022", "module": "esnext", "moduleResolution": "bundler", "strict": True,
                "noEmit": True, "skipLibCheck": True, "paths": {"@db/*": ["./schema/*"]},
            },
            "include": ["schema"],
        }, indent=2) + "\n"
        ts_files = [p for p in self.files if p.endswith(".ts")]
        self.stats.update({
            "ts_files": len(ts_files), "tables": len(self.tables), "domains": len(self.domains) * self.scale,
            "bytes": sum(len(self.files[p].encode()) for p in ts_files), "scale": self.scale,
            "lines": sum(self.files[p].count("\n") for p in ts_files), "healthy": self.healthy,
        })
        return Generated(self.files, self.stats)

    def _fresh_name(self, domain: str, vocab: list[str], suffix: str) -> str:
        while vocab:
            name = vocab.pop(0) + suffix
            if name not in self.taken:
                self.taken.add(name)
                return name
        base = domain.rstrip("0123456789")
        for noun in SPARE_NOUNS:
            name = base + noun + suffix
            if name not in self.taken:
                self.taken.add(name)
                return name
        raise RuntimeError(f"out of table names for {domain}")

    def _layout_shard(self, suffix: str) -> None:
        for index, base in enumerate(self.domains):
            domain = base + suffix
            vocab = list(VOCABULARY[base])
            n_files = self.per_domain[index]
            sizes = [1] * n_files
            if base == "core":
                n_files -= 1  # core/enums.ts takes one file
                sizes = [1] * n_files
            if n_files >= 3 and self.rng.random() < 0.8:
                sizes[self.rng.randrange(1, n_files)] = self.rng.choice([2, 3])
            if n_files >= 4 and self.rng.random() < 0.3:
                sizes[self.rng.randrange(1, n_files)] = self.rng.choice([5, 6])
            used_files: set[str] = {"relations", "index", "enums"}
            for size in sizes:
                names = [self._fresh_name(base, vocab, suffix) for _ in range(size)]
                stem = self._file_stem(names, used_files, base)
                used_files.add(stem)
                module = f"schema/{domain}/{stem}"
                self._add_module(module, names)
                for name in names:
                    table = Table(name, domain, module)
                    self.tables[name] = table
                    self._columns(table)
                    self._order[name] = len(self._order)
                    self._by_domain.setdefault(domain, []).append(table)
                    self._by_shard.setdefault(shard(domain), []).append(table)
            if base == "core":
                self._add_module(f"schema/{domain}/enums", [])

    def _add_module(self, module: str, names: list[str]) -> None:
        self.modules[module] = names
        self._module_index[module] = len(self._module_index)
        self._domain_modules.setdefault(module.split("/")[1], []).append(module)

    def _file_stem(self, names: list[str], used: set[str], base: str) -> str:
        first = names[0]
        if len(names) >= 5:
            candidates = [g for g in GROUP_FILE_NAMES if g not in used]
            stem = f"{base}-{candidates[0]}" if self.rng.random() < 0.5 or not candidates else candidates[0]
        else:
            stem = kebab(first) if self.rng.random() < 0.55 else first
        while stem in used:
            stem += "-tables"
        return stem

    def _columns(self, table: Table) -> None:
        rng = self.rng
        suffix = shard(table.domain)
        # Every table defined before this one (it is registered, not yet indexed).
        same = self._by_domain.get(table.domain, [])
        other = [t for t in self._by_shard.get(suffix, []) if t.domain != table.domain]
        cols = [Column("id", "uuid('id').primaryKey().defaultRandom()", ("uuid",))]
        users = "users" + suffix
        targets: list[str] = []
        if users in self.tables and users != table.name and rng.random() < 0.7:
            targets.append(users)
        if same and rng.random() < 0.65:
            targets.append(rng.choice(same[-4:]).name)
        if other and rng.random() < 0.45:
            targets.append(rng.choice(other).name)
        for target in dict.fromkeys(targets):
            if target == users:
                col = rng.choice(USER_FK_NAMES)
            else:
                col = singular(target.rstrip("0123456789")) + "Id"
            while any(c.name == col for c in cols):
                col = "related" + col[0].upper() + col[1:]
            not_null = rng.random() < 0.7
            on_delete = rng.choice(["cascade", "set null", None]) if not not_null else rng.choice(["cascade", None])
            ref = f"() => {target}.id" + (f", {{ onDelete: '{on_delete}' }}" if on_delete else "")
            code = f"uuid('{snake(col)}')" + (".notNull()" if not_null else "") + f".references({ref})"
            cols.append(Column(col, code, ("uuid",), target=target))
        if table.name.startswith("users"):
            cols += [Column("email", "varchar('email', { length: 255 }).notNull().unique()", ("varchar",)),
                     Column("username", "varchar('username', { length: 40 }).notNull().unique()", ("varchar",))]
        total = rng.randint(6, 15)
        if rng.random() < 0.45:
            enum_name, _, _, enum_col = rng.choice(ENUMS)
            if not any(c.name == enum_col for c in cols):
                cols.append(Column(enum_col, f"{enum_name}{suffix}('{snake(enum_col)}').notNull()", (),
                                   enum=enum_name + suffix))
        pool = [c for c in PLAIN_COLUMNS if not any(x.name == c[0] for x in cols)]
        rng.shuffle(pool)
        for name, builder, template in pool[: max(0, total - len(cols) - 1)]:
            cols.append(Column(name, template.format(sql=snake(name)), (builder,)))
        cols.append(Column("createdAt", "timestamp('created_at', { withTimezone: true }).notNull().defaultNow()",
                           ("timestamp",)))
        table.columns = cols
        fks = [c.name for c in cols if c.target]
        if fks and rng.random() < 0.5:
            table.index_on = rng.choice(fks)

    # --- rendering ----------------------------------------------------------------

    def _specifier(self, importer: str, module: str) -> str:
        imp = importer.split("/")[1:-1]
        mod = module.split("/")[1:]
        if imp[0] == mod[0]:
            return "./" + "/".join(mod[1:])
        return "../" * len(imp) + "/".join(mod)

    def _render_table_file(self, module: str, names: list[str]) -> str:
        builders = {"pgTable"}
        deps: dict[str, list[str]] = {}
        for name in names:
            table = self.tables[name]
            for c in table.columns:
                builders.update(c.builders)
                if c.target and self.tables[c.target].module != module:
                    deps.setdefault(self.tables[c.target].module, [])
                    if c.target not in deps[self.tables[c.target].module]:
                        deps[self.tables[c.target].module].append(c.target)
                if c.enum:
                    enums = f"schema/core{shard(table.domain)}/enums"
                    deps.setdefault(enums, [])
                    if c.enum not in deps[enums]:
                        deps[enums].append(c.enum)
            if table.index_on:
                builders.add("index")
        out = ["import {\n" + "".join(f"  {b},\n" for b in sorted(builders)) + "} from 'drizzle-orm/pg-core';\n"]
        for dep, imported in deps.items():
            out.append(f"import {{ {', '.join(imported)} }} from '{self._specifier(module + '.ts', dep)}';\n")
        for name in names:
            table = self.tables[name]
            if table.index_on:
                body = "".join(f"    {c.name}: {c.code},\n" for c in table.columns)
                idx = f"{snake(name)}_{snake(table.index_on)}_idx"
                out.append(f"\nexport const {name} = pgTable(\n  '{snake(name)}',\n  {{\n{body}  }},\n"
                           f"  (table) => [index('{idx}').on(table.{table.index_on})],\n);\n")
            else:
                body = "".join(f"  {c.name}: {c.code},\n" for c in table.columns)
                out.append(f"\nexport const {name} = pgTable('{snake(name)}', {{\n{body}}});\n")
        return "".join(out)

    def _render_enums(self, suffix: str) -> None:
        lines = ["import { pgEnum } from 'drizzle-orm/pg-core';\n"]
        for name, sql, values, _ in ENUMS:
            sql_name = sql + (f"_{suffix}" if suffix else "")
            quoted = ", ".join(f"'{v}'" for v in values)
            lines.append(f"\nexport const {name}{suffix} = pgEnum('{sql_name}', [{quoted}]);\n")
            self.stats["enums"] += 1
        self.files[f"schema/core{suffix}/enums.ts"] = "".join(lines)

    def _relation_entries(self, domain: str) -> dict[str, list[str]]:
        """table -> rendered relation properties (one() for its foreign keys, many() for children)."""
        out: dict[str, list[str]] = {}
        if self._children is None:
            self._children = {}
            for child in self.tables.values():
                for target in dict.fromkeys(c.target for c in child.columns if c.target):
                    self._children.setdefault(target, []).append(child)
        for table in self._by_domain.get(domain, []):
            props: dict[str, str] = {}
            for c in table.columns:
                if c.target:
                    key = c.name[:-2]
                    fields, refs = f"fields: [{table.name}.{c.name}]", f"references: [{c.target}.id]"
                    line = f"{key}: one({c.target}, {{ {fields}, {refs} }}),"
                    if len(line) > 96:  # wrapped the way prettier would at 100 columns
                        line = f"{key}: one({c.target}, {{\n    {fields},\n    {refs},\n  }}),"
                    props[key] = line
            for child in self._children.get(table.name, []):
                key = child.name
                if key not in props:
                    props[key] = f"{key}: many({child.name}),"
            if props:
                out[table.name] = list(props.values())
        return out

    def _render_relations(self, domain: str, *, duplicate: bool, misplace: bool = False,
                          drop_inverse: bool = False) -> str:
        rng = self.rng
        importer = f"schema/{domain}/relations.ts"
        entries = self._relation_entries(domain)
        decls: list[str] = []
        tail: list[str] = []
        dup_table = None
        if duplicate:
            splittable = [t for t, props in entries.items() if sum("many(" in p for p in props) >= 2]
            dup_table = rng.choice(splittable) if splittable else None
        if misplace or drop_inverse:
            # After the duplicate's choice (which reads the unbroken entries), leaving the
            # duplicate's table alone and the imported names the same: the first stream
            # draws once per imported name, so it is not disturbed.
            entries = self._break_relations(entries, dup_table, misplace, drop_inverse)
        for table, props in entries.items():
            first, second = props, []
            if table == dup_table:
                manies = [p for p in props if "many(" in p]
                second = manies[len(manies) // 2:]
                first = [p for p in props if p not in second]
                if self.stats["duplicate_keys"] < self.scale and "one(" in first[0]:
                    first = [first[0], *first]  # the same key twice, same value
                    self.stats["duplicate_keys"] += 1
                tail.append(self._relations_decl(table, second))
                self.stats["duplicate_relations"] += 1
            decls.append(self._relations_decl(table, first))
        text = "".join(decls + tail)  # table references, not property keys ('topic: one(...)')
        words = {m.group() for m in re.finditer(r"\b\w+\b(?!:)", text)}
        used = sorted((n for n in words if n in self.tables), key=self._order.__getitem__)
        by_spec: dict[str, list[str]] = {}
        for name in used:
            spec = self._relations_specifier(importer, name)
            by_spec.setdefault(spec, []).append(name)
        if not self.healthy and rng.random() < 0.3:
            guessed = [s for s in by_spec if s.startswith("./") and not self._exists(importer, s)]
            if guessed:
                spec = rng.choice(guessed)
                by_spec[spec].append(singular(by_spec[spec][0].rstrip("0123456789")) + "Archive")
                self.stats["phantom_names"] += 1
        head = "import { relations } from 'drizzle-orm';\n" + "".join(
            f"import {{ {', '.join(names)} }} from '{spec}';\n" for spec, names in by_spec.items())
        body = "".join("\n" + d for d in decls)
        if tail:
            body += "\n// Back-relations (many side)\n" + "".join("\n" + d for d in tail)
        return head + body

    def _break_relations(self, entries: dict[str, list[str]], dup_table: str | None, misplace: bool,
                         drop_inverse: bool) -> dict[str, list[str]]:
        """``entries`` with at most one relation put on the wrong table (SF007's shape:
        ``x: one(U, { fields: [T.xId], references: [U.id] })`` in T's relations, while
        ``xId`` is a column of S, which references U) and at most one inverse ``one()``
        deleted (SF008's shape: A keeps ``B: many(B)``, B has exactly one foreign key to A
        and no relation back). Only where schemafix can fix it: the column's name is
        unique in the project (SF007 looks for the one table having it), and every
        broken table keeps at least one relation."""
        rng = self.relations_rng
        if self._column_counts is None:
            self._column_counts = {}
            for t in self.tables.values():
                for c in t.columns:
                    self._column_counts[c.name] = self._column_counts.get(c.name, 0) + 1
        words = self._relation_words(entries)
        out = {t: list(props) for t, props in entries.items()}
        touched = {dup_table}
        names = list(out)
        if misplace:
            sites = [(s, c, t) for s in names for c in self.tables[s].columns for t in names
                     if c.target and self._column_counts[c.name] == 1 and t not in (s, c.target)
                     and len(out[s]) >= 2 and not {s, t, c.target} & touched
                     and not any(p.startswith(c.name[:-2] + ":") for p in out[t])]
            rng.shuffle(sites)
            for s, c, t in sites:
                key = c.name[:-2]
                old = next((p for p in out[s] if p.startswith(f"{key}: one(")), None)
                if old is None:
                    continue
                fields, refs = f"fields: [{t}.{c.name}]", f"references: [{c.target}.id]"
                line = f"{key}: one({c.target}, {{ {fields}, {refs} }}),"
                if len(line) > 96:
                    line = f"{key}: one({c.target}, {{\n    {fields},\n    {refs},\n  }}),"
                trial = dict(out, **{s: [p for p in out[s] if p is not old], t: [*out[t], line]})
                if self._relation_words(trial) == words:
                    out = trial
                    touched |= {s, t, c.target}
                    self.stats["misplaced_relations"] += 1
                    break
        if drop_inverse:
            sites = [(b, c) for b in names for c in self.tables[b].columns
                     if c.target and len(out[b]) >= 2 and not {b, c.target} & touched
                     and b not in {x.name[:-2] for x in self.tables[c.target].columns if x.target}]
            rng.shuffle(sites)
            for b, c in sites:
                key = c.name[:-2]
                old = next((p for p in out[b] if p.startswith(f"{key}: one({c.target}, ")), None)
                if old is None:
                    continue
                trial = dict(out, **{b: [p for p in out[b] if p is not old]})
                if self._relation_words(trial) == words:
                    out = trial
                    self.stats["missing_inverses"] += 1
                    break
        return out

    @staticmethod
    def _relation_words(entries: dict[str, list[str]]) -> set[str]:
        """The words of the rendered declarations that can name a table (imports come from these)."""
        text = "".join(f"relations({t}, " + "".join(props) for t, props in entries.items())
        return {m.group() for m in re.finditer(r"\b\w+\b(?!:)", text)}

    def _relations_decl(self, table: str, props: list[str]) -> str:
        helpers = [h for h in ("one", "many") if any(f"{h}(" in p for p in props)]
        lines = "".join(f"  {p}\n" for p in props)
        return f"export const {table}Relations = relations({table}, ({{ {', '.join(helpers)} }}) => ({{\n{lines}}}));\n"

    def _exists(self, importer: str, spec: str) -> bool:
        if spec.startswith("@db/"):
            target = "schema/" + spec[4:]
        else:
            parts = importer.split("/")[:-1]
            for piece in spec.split("/"):
                if piece == "..":
                    parts.pop()
                elif piece != ".":
                    parts.append(piece)
            target = "/".join(parts)
        return target in self.modules and bool(self.modules[target])

    def _relations_specifier(self, importer: str, name: str) -> str:
        table = self.tables[name]
        correct = self._specifier(importer, table.module)
        same_domain = table.domain == importer.split("/")[1]
        if not same_domain and self.rng.random() < 0.2:
            correct = "@db/" + table.module[len("schema/"):]
        self.stats["import_entries"] += 1
        if self.healthy or self.rng.random() >= self.break_rate:
            return correct
        prefix = "./" if same_domain else "../" + table.domain + "/"
        options = [prefix + stem for stem in dict.fromkeys([name, kebab(name)])
                   if not self._exists(importer, prefix + stem)]
        if not same_domain:
            options += ["../" + table.domain, "@db/" + table.domain]
        else:
            siblings = [m for m in self._domain_modules.get(table.domain, [])
                        if m != table.module and self.modules[m]]
            if siblings:
                options.append(self._specifier(importer, self.rng.choice(siblings)))
        if not options:
            return correct
        self.stats["broken_imports"] += 1
        return self.rng.choice(options)

    def _render_barrel(self) -> str:
        lines = [f"export * from './{m[len('schema/'):]}';\n" for m in sorted(self.modules, key=self._barrel_key)
                 if m.endswith("/enums") or self.modules[m]]
        if self.healthy:
            lines += [f"export * from './{p[len('schema/'):-3]}';\n" for p in self.files if p.endswith("/relations.ts")]
        return "".join(lines)

    def _barrel_key(self, module: str) -> tuple:
        return (0 if module.endswith("/enums") else 1, self._module_index[module])


def generate(*, files: int = 157, domains: int = 14, scale: int = 1, seed: int = 1, break_rate: float = 0.3,
             healthy: bool = False) -> Generated:
    return Generator(files=files, domains=domains, scale=scale, seed=seed, break_rate=break_rate,
                     healthy=healthy).build()


def write(out: Path, generated: Generated) -> None:
    for rel, text in generated.files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write (created; must be empty or absent)")
    parser.add_argument("--files", type=int, default=157, help="TypeScript files per scale unit (default 157)")
    parser.add_argument("--domains", type=int, default=14, help="domain folders per scale unit (default 14)")
    parser.add_argument("--scale", type=int, default=1, help="repeat the domains N times (default 1)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--break-rate", type=float, default=0.3, help="share of relations imports to break")
    parser.add_argument("--healthy", action="store_true", help="write the schema without any breakage")
    args = parser.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        parser.error(f"{args.out} is not empty")
    generated = generate(files=args.files, domains=args.domains, scale=args.scale, seed=args.seed,
                         break_rate=args.break_rate, healthy=args.healthy)
    write(args.out, generated)
    print(json.dumps(generated.stats), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
