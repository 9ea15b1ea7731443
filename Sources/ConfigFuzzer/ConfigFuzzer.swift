// libFuzzer target over mailferry's config loaders: every kind of config file (migration,
// mirror, forward) read through the one TOML mechanism of MailferryConfig (see
// FuzzerDriver for how it is built and replayed).
import FuzzerSupport

let targets = [
    FuzzTarget("config", check: ConfigChecks.loaders)
]
