export const CAPTURE_REPOSITORY = Symbol('CaptureRepository');
export const TCP_ECHO_PROBER = Symbol('TcpEchoProberFactory');
