fn main() -> std::process::ExitCode {
    siemctl::run()
}
