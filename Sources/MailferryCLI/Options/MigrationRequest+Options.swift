import Migration

extension MigrationRequest {
    /// The request that the flags of `sync` and `verify` spell (verify has no Maildir destination flags).
    init(endpoints: EndpointOptions, fleet: FleetOptions, maildir: MaildirOptions? = nil) {
        self.init()
        from = Side(
            url: endpoints.from, passwordFile: endpoints.fromPasswordFile, masterUser: endpoints.fromMasterUser,
            masterPasswordFile: endpoints.fromMasterPasswordFile)
        to = Side(
            url: endpoints.to, passwordFile: endpoints.toPasswordFile, masterUser: endpoints.toMasterUser,
            masterPasswordFile: endpoints.toMasterPasswordFile)
        caFile = endpoints.caFile
        insecure = endpoints.insecure
        startTLS = !endpoints.noStarttls
        allowPlaintext = endpoints.allowPlaintext
        timeoutSeconds = endpoints.timeout
        config = fleet.config
        accounts = fleet.account
        jobs = fleet.jobs
        maxConnectionsPerServer = fleet.maxConnectionsPerServer
        foldersInParallel = fleet.foldersInParallel
        state = fleet.state
        owner = maildir?.owner
        overwriteUIDValidity = maildir?.overwriteUIDValidity ?? false
        mirrorTagKeyFile = maildir?.mirrorTagKey
        settleSeconds = maildir?.settle
    }
}
