// Tests import MailTestSupport alone and get the testbed client with it.
@_exported import TestbedClient
