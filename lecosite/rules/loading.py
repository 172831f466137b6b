"""Rules whose findings arise while files are read: file, syntax and schema problems."""

from lecosite.findings import Severity
from lecosite.rules.registry import declare

UNREADABLE = declare("LS001", "unreadable-file", """
    A content file must be UTF-8 text of a sensible size.

    Binary files, files in another encoding (e.g. saved as Windows-1252) and files over
    the size limit cannot be read as modules or paths.

    Example: a module saved from a word processor as UTF-16 →
    `content/modules/intro.md:1:1: error LS001 unreadable-file: not UTF-8 text …`
    """)

INVALID_YAML = declare("LS002", "invalid-yaml", """
    Front matter and path files must be valid YAML, and so must the portal's mkdocs.yml
    (and a configuration it INHERITs): MkDocs stops on it. That file is read for its syntax
    only, its tags (`!ENV`, `!!python/name:…`) as MkDocs reads them; what its settings mean
    is for MkDocs to say.

    Example:
        objectives:
          - Open the ports
         - Check the proxy     ← one space too few

    Example: `site_name: "Acme Academy` in mkdocs.yml → `mkdocs.yml:1:12: error LS002
    invalid-yaml: invalid YAML: the quote opened here is never closed`
    """)

NO_FRONT_MATTER = declare("LS003", "missing-front-matter", """
    A module starts with front matter between two `---` lines.

    A plain page's front matter, where it has some (a `---` line, then a field), ends with a
    `---` line too: MkDocs shows fields that are not closed as the page's text.

    Example of a valid start:
        ---
        id: connect-check-ports
        title: Open the ports the Connect Agent needs
        ---
    """)

INVALID_CONFIG = declare("LS004", "invalid-config", """
    The site's settings file, lecosite.yml, must be valid YAML with known keys and values
    of the right type; until it is, the defaults apply.

    Example:
        duration:
          min: five   ← must be a whole number of minutes
    """)

DUPLICATE_KEY = declare("LS005", "duplicate-key", """
    A key may appear only once in a mapping; YAML would silently keep only the last value.

    Example:
        duration: 8
        duration: 10   ← which one is meant?
    """)

NOT_READ = declare("LS006", "file-not-read", """
    A file that looks like content but is not where, or not named as, lecosite reads it:
    it would be published as a plain page or copied raw, without any check.

    Examples: a path `.yml` in `modules/`, a module in `guides/` (front matter with `id:` and
    `goal:`), `intro.MD` or `intro.md.txt` in `modules/`, a `.md` file in `paths/`.
    """, Severity.WARNING)

TEXT_CUT_BY_COMMENT = declare("LS007", "text-cut-by-comment", """
    In YAML, ` #` starts a comment, so an unquoted value stops there and the rest is
    dropped without a word. A comment usually reads `# like this`, with a space after the
    `#`; text such as `#1234` or `#general` right after it was meant to be shown.

    Example: `title: Fix sync error #1234` → the title is "Fix sync error". Write
    `title: "Fix sync error #1234"`.
    """, Severity.WARNING)

ITEM_JOINED = declare("LS008", "item-joined-to-line-above", """
    A `- ` line indented further than the line above it does not start a new item: YAML
    reads it as more words of the text above and joins the two without a word.

    A warning where the joined text is still a valid value (an objective); an error where
    it is not (two module ids joined make no id), reported once, here, and not as an unknown
    id or a module in no path as well.

    Example:
        objectives:
          - Open the ports.
           - Check the proxy.     ← one space too many: one objective,
                                    "Open the ports. - Check the proxy."

    Example (an error):
        modules:
        - connect-install-agent
         - connect-check-ports    ← one id, "connect-install-agent - connect-check-ports"
    """, Severity.WARNING)

ESCAPE_IN_QUOTES = declare("LS009", "escape-in-double-quotes", r"""
    In double quotes a backslash starts an escape: `\t` is a tab, `\n` a line break, `\b`
    erases a character, `\P` starts a new paragraph. A Windows path or a regular expression
    in double quotes reaches learners as control characters.

    Example: `title: "Back up C:\tallyflow\new-config"` → the title holds a tab and a
    line break. Write `title: 'Back up C:\tallyflow\new-config'` (single quotes keep a
    backslash as it is).
    """)

MISSING_FIELD = declare("LS010", "missing-field", """
    Every required field must be present (the site's lecosite.yml may require more). A
    key written misspelt (`durations:`) is reported once, by LS012, which names the key meant.

    Example: a module without `goal:` →
    `error LS010 missing-field: the module has no 'goal'`
    """)

INVALID_VALUE = declare("LS011", "invalid-value", """
    A field's value must have the right type and form.

    Examples: `duration: ten` (must be a whole number of minutes), `version: 1.0`
    (must be MAJOR.MINOR.PATCH such as 1.0.0), `status: live` (one of draft, review,
    published, deprecated, retired), `review_by: 2026-02-30` (not a real date).
    """)

UNKNOWN_KEY = declare("LS012", "unknown-key", """
    Front matter and path files accept only known keys, so typos do not pass silently.
    A site declares its own extra keys under `schema: fields:` in lecosite.yml.

    Example: `objective:` → `unknown key 'objective'; did you mean 'objectives'?`
    """)

DUPLICATE_ID = declare("LS013", "duplicate-id", """
    Module ids are unique across the site, and path ids across paths: the id is the URL
    and the key other files refer to.

    Example: two files both with `id: connect-intro`. A path may not take a module's id
    either: a certification's `requires` names both.

    Either file's own problems (an empty path, a broken link) are reported in it too,
    whichever of the two is the copy.
    """)

ID_NOT_FILE_NAME = declare("LS014", "id-not-file-name", """
    A module's id is its file's name without `.md`, and a path's its file's name without
    `.yml`: authors find the file from an id in a path, a prerequisite or an error message,
    and a renamed file must not keep an old id.

    Example: `content/modules/install/connect-check-ports.md` with `id: connect-check-port`
    → rename the file or change the id (and the paths and prerequisites that use it).
    """)


FOLDER_LINK_LOOP = declare("LS015", "folder-link-loop", """
    A folder link (symlink) in the content folder is read through, as the portal publishes
    it; a link to a folder that contains it would be read forever, so nothing is built.

    Example: `content/modules/shared -> ..` links `modules/` into itself.
    """)


NAV_NOT_USED = declare("LS017", "nav-not-used", """
    lecosite builds the portal's menu itself: the catalog, each learning path with its
    modules in order, and every other page under Guides. A `nav:` in mkdocs.yml is not
    used, and MkDocs would warn of each page it leaves out, which stops a strict build.

    Example: `nav: [{Help: guides/help.md}]` in mkdocs.yml → delete it; a module's place
    is set by the path's `modules:` list, and guides/help.md is listed under Guides.
    """, Severity.WARNING)

FIELD_WITHOUT_DASHES = declare("LS016", "text-read-as-field", """
    MkDocs reads `Key: value` lines at the very top of a plain page (a guide) as the page's
    fields, even without `---` lines, and leaves them out of the page. A first line such as
    `Note: ...` or a bare link is lost. Fields MkDocs and Material know (`title`, `hide`,
    `tags`...) are taken as meant.

    Example: a guide starting `Note: stop the agent first.` → the page starts below that
    line. Put a blank line or a heading above it.
    """, Severity.WARNING)
