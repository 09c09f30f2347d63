/// gaitd: the Backstride sync daemon (being written).
@main
enum Gaitd {
    static func main() {}
}
