"""Search that answers a manager's question with the clause itself, on the command line and in the handbook.

`build_index(corpus)` makes the index (plain data: the documents, the
language and the postings with their weights); `SearchIndex(data).search`
ranks a query against it. `servicekb book` writes the same data as
`_search/index.js` into the handbook, where `_static/servicekb-search.js`
ranks queries the same way, so both surfaces give the same answers.
"""

from servicekb.search.engine import SearchHit, SearchIndex
from servicekb.search.index import build_index, dump_index
from servicekb.search.publish import INDEX_FILE, render_index_script, write_search_index

__all__ = [
    "INDEX_FILE",
    "SearchHit",
    "SearchIndex",
    "build_index",
    "dump_index",
    "render_index_script",
    "write_search_index",
]
