export const id = 512;
export const ids = [512];
export const modules = {

/***/ 3512:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   D: () => (/* binding */ ShaCache),
/* harmony export */   defaultCacheDir: () => (/* binding */ defaultCacheDir)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_3__);




const COMMIT_SHA = /^[0-9a-f]{40}$/i;
/** Where the CLI keeps SHA-pinned callees: the platform's per-user cache folder. */
function defaultCacheDir(env, platform, home = (0,node_os__WEBPACK_IMPORTED_MODULE_2__.homedir)()) {
    if (env.XDG_CACHE_HOME)
        return (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(env.XDG_CACHE_HOME, 'claude-route-guard');
    if (platform === 'darwin')
        return (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(home, 'Library', 'Caches', 'claude-route-guard');
    if (platform === 'win32' && env.LOCALAPPDATA)
        return (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(env.LOCALAPPDATA, 'claude-route-guard');
    return (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(home, '.cache', 'claude-route-guard');
}
/**
 * A file at a commit SHA never changes, so it is kept on disk and read from there next time. Tags and
 * branches move and always go to the source. A cache that cannot be read or written is only slower.
 */
class ShaCache {
    dir;
    source;
    maxBytes;
    hits = 0;
    constructor(dir, source, maxBytes) {
        this.dir = dir;
        this.source = source;
        this.maxBytes = maxBytes;
    }
    async get(owner, repo, ref, path) {
        if (!COMMIT_SHA.test(ref))
            return this.source.get(owner, repo, ref, path);
        const key = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256')
            .update(`${owner.toLowerCase()}/${repo.toLowerCase()}\0${ref.toLowerCase()}\0${path}`)
            .digest('hex');
        const file = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(this.dir, `${key}.yml`);
        const cached = this.read(file);
        if (cached !== undefined) {
            this.hits++;
            return { text: cached };
        }
        const content = await this.source.get(owner, repo, ref, path);
        if ('text' in content)
            this.write(file, content.text);
        return content;
    }
    read(file) {
        try {
            // A link planted in the cache folder is not followed.
            const stat = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.lstatSync)(file);
            if (!stat.isFile() || stat.size > this.maxBytes)
                return undefined;
            return (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readFileSync)(file, 'utf8');
        }
        catch {
            return undefined;
        }
    }
    write(file, text) {
        try {
            (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.mkdirSync)(this.dir, { recursive: true, mode: 0o700 });
            const partial = `${file}.${process.pid}.part`;
            (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.writeFileSync)(partial, text, { mode: 0o600 });
            (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.renameSync)(partial, file);
        }
        catch {
            // No cache this time; the answer itself is good.
        }
    }
}


/***/ })

};
