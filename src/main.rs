fn main() -> std::process::ExitCode {
    cigen::cli::main()
}
