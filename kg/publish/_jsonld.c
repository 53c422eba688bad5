/* The node objects of one graph's JSON-LD segment, written from the graph's N-Triples.
 *
 * The compiled twin of kg.publish.dumps._nodes and the JSON encoding of its nodes
 * (json.JSONEncoder(ensure_ascii=False), separators ", " and ": "): given the N-Triples
 * that pyoxigraph writes for a graph (its quads in the store's order), it returns the bytes
 * that kg.publish.segments.Segmenter.jsonld writes between the graph's "@graph": [ and its
 * closing bracket, each node on a line of its own.  A node is a run of lines with the same
 * subject; its keys are the compact IRIs of its predicates in the order they first appear,
 * rdf:type with an IRI object going to "@type"; an IRI object is {"@id": ...}, an xsd:string
 * literal a JSON string, a literal with a language or another datatype a value object.  IRIs
 * are compacted as kg.publish.dumps.Compactor does: the first (longest) namespace the IRI
 * starts with, when what is left is not empty and does not start with "/".
 *
 * The work is done without the interpreter lock.  Text that is not N-Triples as pyoxigraph
 * writes it (one triple a line, no comments) raises ValueError; the caller then writes the
 * segment in Python.  tests/test_dumps.py checks that both give the same bytes.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *data;
    size_t len, cap;
    int failed;
} Buf;

static int buf_grow(Buf *b, size_t more) {
    if (b->failed) return -1;
    if (b->len + more <= b->cap) return 0;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + more) cap *= 2;
    char *data = realloc(b->data, cap);
    if (data == NULL) { b->failed = 1; return -1; }
    b->data = data;
    b->cap = cap;
    return 0;
}

static void put(Buf *b, const char *s, size_t n) {
    if (n == 0 || buf_grow(b, n) < 0) return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
}

#define PUTS(b, s) put((b), ("" s ""), sizeof(s) - 1)  /* a string literal only */

/* A JSON string of UTF-8 text, as json.dumps(..., ensure_ascii=False) writes it. */
static void put_json_string(Buf *b, const char *s, size_t n) {
    static const char hex[] = "0123456789abcdef";
    PUTS(b, "\"");
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = NULL;
        char u[6];
        if (c == '"') esc = "\\\"";
        else if (c == '\\') esc = "\\\\";
        else if (c == '\n') esc = "\\n";
        else if (c == '\r') esc = "\\r";
        else if (c == '\t') esc = "\\t";
        else if (c == '\b') esc = "\\b";
        else if (c == '\f') esc = "\\f";
        else if (c < 0x20) {
            u[0] = '\\'; u[1] = 'u'; u[2] = '0'; u[3] = '0'; u[4] = hex[c >> 4]; u[5] = hex[c & 15];
        } else continue;
        put(b, s + run, i - run);
        if (esc) put(b, esc, strlen(esc));
        else put(b, u, 6);
        run = i + 1;
    }
    put(b, s + run, n - run);
    PUTS(b, "\"");
}

typedef struct {
    const char *prefix, *ns;
    size_t prefix_len, ns_len;
} Namespace;

typedef struct {
    Namespace *spaces;
    size_t count;
} Compactor;

/* The compact form of an IRI (its UTF-8 bytes), as a JSON string. */
static void put_iri(Buf *b, const Compactor *c, const char *iri, size_t n, Buf *scratch) {
    for (size_t k = 0; k < c->count; k++) {
        const Namespace *ns = &c->spaces[k];
        if (n > ns->ns_len && memcmp(iri, ns->ns, ns->ns_len) == 0 && iri[ns->ns_len] != '/') {
            scratch->len = 0;
            put(scratch, ns->prefix, ns->prefix_len);
            PUTS(scratch, ":");
            put(scratch, iri + ns->ns_len, n - ns->ns_len);
            if (scratch->failed) { b->failed = 1; return; }
            put_json_string(b, scratch->data, scratch->len);
            return;
        }
    }
    put_json_string(b, iri, n);
}

static void put_utf8(Buf *b, uint32_t cp) {
    char out[4];
    size_t n;
    if (cp < 0x80) { out[0] = (char)cp; n = 1; }
    else if (cp < 0x800) { out[0] = (char)(0xC0 | (cp >> 6)); out[1] = (char)(0x80 | (cp & 0x3F)); n = 2; }
    else if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12)); out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F)); n = 3;
    } else {
        out[0] = (char)(0xF0 | (cp >> 18)); out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); out[3] = (char)(0x80 | (cp & 0x3F)); n = 4;
    }
    put(b, out, n);
}

static int hex_value(const char *s, size_t digits, uint32_t *out) {
    uint32_t v = 0;
    for (size_t i = 0; i < digits; i++) {
        char ch = s[i];
        v <<= 4;
        if (ch >= '0' && ch <= '9') v |= (uint32_t)(ch - '0');
        else if (ch >= 'a' && ch <= 'f') v |= (uint32_t)(ch - 'a' + 10);
        else if (ch >= 'A' && ch <= 'F') v |= (uint32_t)(ch - 'A' + 10);
        else return -1;
    }
    *out = v;
    return 0;
}

/* The value of an N-Triples string (between its quotes, escapes undone) into ``out``. */
static int unescape(const char *s, size_t n, Buf *out) {
    out->len = 0;
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\\') continue;
        put(out, s + run, i - run);
        if (i + 1 >= n) return -1;
        char e = s[++i];
        uint32_t cp;
        switch (e) {
            case 't': PUTS(out, "\t"); break;
            case 'b': PUTS(out, "\b"); break;
            case 'n': PUTS(out, "\n"); break;
            case 'r': PUTS(out, "\r"); break;
            case 'f': PUTS(out, "\f"); break;
            case '"': PUTS(out, "\""); break;
            case '\'': PUTS(out, "'"); break;
            case '\\': PUTS(out, "\\"); break;
            case 'u':
            case 'U': {
                size_t digits = e == 'u' ? 4 : 8;
                if (i + digits >= n || hex_value(s + i + 1, digits, &cp) < 0) return -1;
                if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
                put_utf8(out, cp);
                i += digits;
                break;
            }
            default:
                return -1;
        }
        run = i + 1;
    }
    put(out, s + run, n - run);
    return out->failed ? -1 : 0;
}

enum { IRI, BLANK, LITERAL };

typedef struct {
    int kind;
    const char *text;   /* IRI or blank node label, or the literal's escaped string */
    size_t len;
    const char *extra;  /* a literal's language or datatype IRI, else NULL */
    size_t extra_len;
    int is_language;
} Term;

/* Whether [s, end) holds none of the characters an N-Triples IRI cannot (so that a triple term,
 * "<<( ... )>>", is refused rather than read as IRIs). */
static int iri_chars(const char *s, const char *end) {
    for (; s < end; s++) {
        unsigned char c = (unsigned char)*s;
        if (c <= 0x20 || c == '<' || c == '"' || c == '{' || c == '}' || c == '|' || c == '^' || c == '`'
            || c == '\\')
            return 0;
    }
    return 1;
}

/* One term at ``*at`` (up to ``end``), which is moved past it and the space after it. */
static int term(const char **at, const char *end, Term *t, int last) {
    const char *p = *at;
    t->extra = NULL;
    t->extra_len = 0;
    t->is_language = 0;
    if (p >= end) return -1;
    if (*p == '<') {
        const char *close = memchr(p, '>', (size_t)(end - p));
        if (close == NULL || !iri_chars(p + 1, close)) return -1;
        t->kind = IRI;
        t->text = p + 1;
        t->len = (size_t)(close - p - 1);
        p = close + 1;
    } else if (*p == '_' && p + 1 < end && p[1] == ':') {
        const char *q = p + 2;
        while (q < end && *q != ' ') q++;
        t->kind = BLANK;
        t->text = p + 2;
        t->len = (size_t)(q - p - 2);
        if (t->len == 0) return -1;
        p = q;
    } else if (*p == '"' && last) {
        const char *q = p + 1;
        while (q < end && *q != '"') q += (*q == '\\') ? 2 : 1;
        if (q >= end) return -1;
        t->kind = LITERAL;
        t->text = p + 1;
        t->len = (size_t)(q - p - 1);
        p = q + 1;
        if (p < end && *p == '@') {
            const char *r = p + 1;
            while (r < end && *r != ' ') r++;
            t->extra = p + 1;
            t->extra_len = (size_t)(r - p - 1);
            t->is_language = 1;
            if (t->extra_len == 0) return -1;
            p = r;
        } else if (p + 2 < end && p[0] == '^' && p[1] == '^' && p[2] == '<') {
            const char *close = memchr(p + 3, '>', (size_t)(end - p - 3));
            if (close == NULL || !iri_chars(p + 3, close)) return -1;
            t->extra = p + 3;
            t->extra_len = (size_t)(close - p - 3);
            p = close + 1;
        }
    } else {
        return -1;
    }
    if (p >= end || *p != ' ') return -1;
    *at = p + 1;
    return 0;
}

typedef struct {
    size_t at, len;     /* the key's JSON text in the node's key buffer */
    size_t values;      /* how many values it has */
} Key;

typedef struct {
    size_t key, at, len;  /* a value's key and its JSON text in the values buffer */
} Part;

typedef struct {
    Key *keys;
    size_t nkeys, cap_keys;
    Part *parts;
    size_t nparts, cap_parts;
    Buf values, keytext;
} Node;

/* Room for one more item in an array of ``used`` items of ``size`` bytes (its capacity doubled
 * when full, ``first`` items at first); -1 when memory runs out. */
static int room(void **items, size_t *cap, size_t used, size_t size, size_t first) {
    if (used < *cap) return 0;
    size_t more = *cap ? *cap * 2 : first;
    void *grown = realloc(*items, more * size);
    if (grown == NULL) return -1;
    *items = grown;
    *cap = more;
    return 0;
}

/* The index of the node's key whose JSON text is ``key``, added if new: keys are told apart by
 * their compact form, as a Python dict keyed by it would.  A linear search, as flush_node's: a
 * node's keys are its distinct predicates, a few of a vocabulary's (at most 12 in the
 * 10,000-document graph). */
static int node_key(Node *node, const char *key, size_t len) {
    for (size_t k = 0; k < node->nkeys; k++) {
        const Key *have = &node->keys[k];
        if (have->len == len && memcmp(node->keytext.data + have->at, key, len) == 0) return (int)k;
    }
    if (room((void **)&node->keys, &node->cap_keys, node->nkeys, sizeof(Key), 16) < 0) return -1;
    node->keys[node->nkeys].at = node->keytext.len;
    node->keys[node->nkeys].len = len;
    node->keys[node->nkeys].values = 0;
    put(&node->keytext, key, len);
    if (node->keytext.failed) return -1;
    return (int)node->nkeys++;
}

static int node_value(Node *node, int key, size_t at) {
    if (room((void **)&node->parts, &node->cap_parts, node->nparts, sizeof(Part), 64) < 0) return -1;
    node->parts[node->nparts].key = (size_t)key;
    node->parts[node->nparts].at = at;
    node->parts[node->nparts].len = node->values.len - at;
    node->nparts++;
    node->keys[key].values++;
    return node->values.failed ? -1 : 0;
}

/* Write the node (its subject ``s``) and empty it. */
static void flush_node(Buf *out, Node *node, const Term *s, const Compactor *c, Buf *scratch, int first) {
    if (first) PUTS(out, "\n    ");
    else PUTS(out, ",\n    ");
    PUTS(out, "{\"@id\": ");
    if (s->kind == IRI) put_iri(out, c, s->text, s->len, scratch);
    else {
        scratch->len = 0;
        PUTS(scratch, "_:");
        put(scratch, s->text, s->len);
        if (scratch->failed) { out->failed = 1; return; }
        put_json_string(out, scratch->data, scratch->len);
    }
    for (size_t k = 0; k < node->nkeys; k++) {
        const Key *key = &node->keys[k];
        PUTS(out, ", ");
        put(out, node->keytext.data + key->at, key->len);
        PUTS(out, ": [");
        size_t written = 0;
        for (size_t i = 0; i < node->nparts && written < key->values; i++) {
            const Part *part = &node->parts[i];
            if (part->key != k) continue;
            if (written++) PUTS(out, ", ");
            put(out, node->values.data + part->at, part->len);
        }
        PUTS(out, "]");
    }
    PUTS(out, "}");
    node->nkeys = node->nparts = 0;
    node->values.len = node->keytext.len = 0;
}

static const char RDF_TYPE[] = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
static const char XSD_STRING[] = "http://www.w3.org/2001/XMLSchema#string";

static int same_term(const Term *a, const Term *b) {
    return a->kind == b->kind && a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
}

/* The nodes of ``text`` into ``out``; 0, or the 1-based number of a line that could not be read
 * (-1: out of memory). */
static long write_nodes(const char *text, size_t n, const Compactor *c, Buf *out) {
    Node node = {0};
    Buf scratch = {0}, plain = {0}, keybuf = {0};
    Term current = {0};
    int have = 0, first = 1;
    long line = 0, failed = 0;
    const char *p = text, *end = text + n;
    while (p < end && !failed) {
        line++;
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (eol == NULL || eol - p < 2 || eol[-1] != '.' || eol[-2] != ' ') { failed = line; break; }
        const char *at = p, *stop = eol - 1;  /* the space before the final dot ends the object */
        Term s, pr, o;
        if (term(&at, stop, &s, 0) < 0 || s.kind == LITERAL || term(&at, stop, &pr, 0) < 0 || pr.kind != IRI
            || term(&at, stop, &o, 1) < 0 || at != stop) {
            failed = line;
            break;
        }
        if (!have || !same_term(&s, &current)) {
            if (have) flush_node(out, &node, &current, c, &scratch, first), first = 0;
            current = s;
            have = 1;
        }
        int is_type = pr.len == sizeof(RDF_TYPE) - 1 && memcmp(pr.text, RDF_TYPE, pr.len) == 0;
        int key;
        size_t start = node.values.len;
        if (o.kind == IRI && is_type) {
            key = node_key(&node, "\"@type\"", 7);
            if (key >= 0) put_iri(&node.values, c, o.text, o.len, &scratch);
        } else {
            keybuf.len = 0;
            put_iri(&keybuf, c, pr.text, pr.len, &scratch);
            key = keybuf.failed ? -1 : node_key(&node, keybuf.data, keybuf.len);
            if (key < 0) { failed = -1; break; }
            if (o.kind == IRI) {
                PUTS(&node.values, "{\"@id\": ");
                put_iri(&node.values, c, o.text, o.len, &scratch);
                PUTS(&node.values, "}");
            } else if (o.kind == BLANK) {
                scratch.len = 0;
                PUTS(&scratch, "_:");
                put(&scratch, o.text, o.len);
                PUTS(&node.values, "{\"@id\": ");
                put_json_string(&node.values, scratch.data, scratch.len);
                PUTS(&node.values, "}");
            } else {
                if (unescape(o.text, o.len, &plain) < 0) { failed = plain.failed ? -1 : line; break; }
                if (o.is_language) {  /* "en", or "ar--rtl": a language and a base direction */
                    size_t lang = o.extra_len;
                    for (size_t i = 0; i + 1 < o.extra_len; i++)
                        if (o.extra[i] == '-' && o.extra[i + 1] == '-') { lang = i; break; }
                    PUTS(&node.values, "{\"@value\": ");
                    put_json_string(&node.values, plain.data, plain.len);
                    PUTS(&node.values, ", \"@language\": ");
                    put_json_string(&node.values, o.extra, lang);
                    if (lang < o.extra_len) {
                        PUTS(&node.values, ", \"@direction\": ");
                        put_json_string(&node.values, o.extra + lang + 2, o.extra_len - lang - 2);
                    }
                    PUTS(&node.values, "}");
                } else if (o.extra == NULL || (o.extra_len == sizeof(XSD_STRING) - 1
                                               && memcmp(o.extra, XSD_STRING, o.extra_len) == 0)) {
                    put_json_string(&node.values, plain.data, plain.len);
                } else {
                    PUTS(&node.values, "{\"@value\": ");
                    put_json_string(&node.values, plain.data, plain.len);
                    PUTS(&node.values, ", \"@type\": ");
                    put_iri(&node.values, c, o.extra, o.extra_len, &scratch);
                    PUTS(&node.values, "}");
                }
            }
        }
        if (key < 0 || scratch.failed || node_value(&node, key, start) < 0) { failed = -1; break; }
        p = eol + 1;
    }
    if (!failed && have) flush_node(out, &node, &current, c, &scratch, first);
    if (!failed && (out->failed || scratch.failed)) failed = -1;
    free(node.keys);
    free(node.parts);
    free(node.values.data);
    free(node.keytext.data);
    free(keybuf.data);
    free(scratch.data);
    free(plain.data);
    return failed;
}

static PyObject *nodes(PyObject *Py_UNUSED(self), PyObject *args) {
    Py_buffer text;
    PyObject *prefixes;
    if (!PyArg_ParseTuple(args, "y*O", &text, &prefixes)) return NULL;
    PyObject *seq = PySequence_Fast(prefixes, "prefixes: a sequence of (prefix, namespace) pairs of bytes");
    if (seq == NULL) { PyBuffer_Release(&text); return NULL; }
    Py_ssize_t count = PySequence_Fast_GET_SIZE(seq);
    Compactor c = {calloc((size_t)count + 1, sizeof(Namespace)), (size_t)count};
    if (c.spaces == NULL) { Py_DECREF(seq); PyBuffer_Release(&text); return PyErr_NoMemory(); }
    for (Py_ssize_t k = 0; k < count; k++) {
        PyObject *pair = PySequence_Fast_GET_ITEM(seq, k);
        char *prefix, *ns;
        Py_ssize_t prefix_len, ns_len;
        if (!PyTuple_Check(pair) || !PyArg_ParseTuple(pair, "y#y#", &prefix, &prefix_len, &ns, &ns_len)) {
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "prefixes: pairs of bytes");
            free(c.spaces);
            Py_DECREF(seq);
            PyBuffer_Release(&text);
            return NULL;
        }
        c.spaces[k] = (Namespace){prefix, ns, (size_t)prefix_len, (size_t)ns_len};
    }
    Buf out = {0};
    long failed;
    Py_BEGIN_ALLOW_THREADS
    failed = write_nodes(text.buf, (size_t)text.len, &c, &out);
    Py_END_ALLOW_THREADS
    free(c.spaces);
    Py_DECREF(seq);  /* the namespaces' bytes were borrowed from it until now */
    PyBuffer_Release(&text);
    if (failed) {
        free(out.data);
        if (failed < 0) return PyErr_NoMemory();
        return PyErr_Format(PyExc_ValueError, "line %ld: not a triple as N-Triples writes it", failed);
    }
    PyObject *result = PyBytes_FromStringAndSize(out.data ? out.data : "", (Py_ssize_t)out.len);
    free(out.data);
    return result;
}

static PyMethodDef methods[] = {
    {"nodes", nodes, METH_VARARGS,
     "nodes(ntriples, prefixes) -> bytes: the node objects of a graph's JSON-LD segment."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, .m_name = "_jsonld", .m_doc = NULL, .m_size = -1, .m_methods = methods,
};

PyMODINIT_FUNC PyInit__jsonld(void) { return PyModule_Create(&module); }
