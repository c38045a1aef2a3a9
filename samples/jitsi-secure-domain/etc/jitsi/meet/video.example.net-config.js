/* eslint-disable comma-dangle, no-unused-vars, no-var, prefer-template, vars-on-top */

/*
 * NOTE: If you add a new option please remember to document it here:
 * https://jitsi.github.io/handbook/docs/dev-guide/dev-guide-configuration
 */

var subdir = '<!--# echo var="subdir" default="" -->';
var subdomain = '<!--# echo var="subdomain" default="" -->';

if (subdomain) {
    subdomain = subdomain.substr(0, subdomain.length - 1).split('.')
        .join('_')
        .toLowerCase() + '.';
}

// In case of no ssi provided by the webserver, use empty strings
if (subdir.startsWith('<!--')) {
    subdir = '';
}
if (subdomain.startsWith('<!--')) {
    subdomain = '';
}

var enableJaaS = false;

var config = {
    // Connection
    //

    hosts: {
        // XMPP domain.
        domain: 'video.example.net',

        // When using authentication, domain for guest users.
        anonymousdomain: 'guest.video.example.net',

        // Domain for authenticated users. Defaults to <domain>.
        // authdomain: 'video.example.net',

        // Focus component domain. Defaults to focus.<domain>.
        // focus: 'focus.video.example.net',

        // XMPP MUC domain. FIXME: use XEP-0030 to discover it.
        muc: 'conference.' + subdomain + 'video.example.net',
    },

    // BOSH URL. FIXME: use XEP-0156 to discover it.
    bosh: 'https://video.example.net/' + subdir + 'http-bind',

    // Websocket URL (XMPP over WebSocket)
    websocket: 'wss://video.example.net/' + subdir + 'xmpp-websocket',

    // Whether BOSH should be preferred over WebSocket if both are configured.
    // preferBosh: false,

    // Secure domain: guests join as anonymous users of guest.video.example.net.
    // prejoinConfig: { enabled: true },

    p2p: {
        enabled: true,
        stunServers: [
            { urls: 'stun:video.example.net:3478' },
        ],
    },

    analytics: {},

    // Information for the chrome extension banner
    // chromeExtensionBanner: {},
};

// Temporary backwards compatibility with old mobile clients.
config.flags = config.flags || {};
config.flags.sourceNameSignaling = true;
config.flags.sendMultipleVideoStreams = true;
config.flags.receiveMultipleVideoStreams = true;

/* eslint-enable no-unused-vars, no-var */
