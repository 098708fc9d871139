// Offline runs on Node 20 on purpose; the SDK's "upgrade to Node 22" notice is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export {};
