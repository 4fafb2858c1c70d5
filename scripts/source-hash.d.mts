/** Where `npm run bundle` writes the hash of the sources it built dist/ from. */
export declare const STAMP: string;
/** The hash of the sources under `root` that a bundle is built from. */
export declare function sourceHash(root: string): string;
