/** The version of the generated development kernel (the sandbox's bundled payload): newer than the presets' kernels. */
export const DEMO_PAYLOAD_VERSION = '6.6.36.6';
